#pragma once
// The image cache's file format (layout in image_cache.hpp): header encoding,
// checksums, and whole-file mapping and atomic writing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace nn::data::cache_file {

inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::size_t kHeaderBytes = 128;
inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;

// What the cached images were made with; any difference means a rebuild.
struct Params {
  std::uint8_t crop_mode = 0, halving = 0, split = 0;
  std::uint32_t size = 0;
  double fraction = 0.0;
  bool operator==(const Params&) const = default;
};

struct Header {
  std::uint64_t fingerprint = 0;
  Params params;
  std::uint64_t count = 0;
  std::uint32_t channels = 0, height = 0, width = 0, label_count = 0;
  std::uint64_t payload_bytes = 0, payload_checksum = 0;
};

// Writes the header (magic, version and header checksum included) into the
// first kHeaderBytes of `out`.
void encode(const Header& header, std::uint8_t* out);

struct Decoded {
  bool foreign = false;           // does not start with the magic: not ours
  std::optional<Header> header;   // set when the header is intact and current
  std::string problem;            // why not, otherwise
};
// `bytes` holds `size` bytes of the file's start (a short file is truncated).
Decoded decode(const std::uint8_t* bytes, std::size_t size);

// FNV-1a, continued from `hash`.
std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size);
// The payload checksum: an FNV-style hash of 64-bit words per 1 MiB block
// (blocks hashed in parallel), the block hashes then combined by FNV-1a.
std::uint64_t checksum(const std::uint8_t* data, std::size_t size);

struct Mapping {
  std::shared_ptr<const std::uint8_t> bytes;  // null for an empty file
  std::size_t size = 0;
};
// The whole file mapped read-only, or nullopt when it does not exist.
std::optional<Mapping> map_file(const std::string& path);
// Writes `path` through a temporary file in the same folder and a rename, so
// readers see the old file or the complete new one.
void write_atomically(const std::string& path, const std::uint8_t* data, std::size_t size);

}  // namespace nn::data::cache_file
