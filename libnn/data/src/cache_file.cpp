#include "cache_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "nn/error.hpp"

namespace nn::data::cache_file {
namespace {

static_assert(std::endian::native == std::endian::little, "the cache format is little-endian");

constexpr char kMagic[8] = {'N', 'N', 'I', 'M', 'G', 'C', 'A', 'C'};
constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;
constexpr std::size_t kChecksumOffset = kHeaderBytes - 8;
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
// Below this many blocks, waking the thread team costs more than it saves.
constexpr std::int64_t kParallelBlocks = 16;

template <class T>
void put(std::uint8_t* out, std::size_t offset, T value) {
  std::memcpy(out + offset, &value, sizeof(T));
}

template <class T>
T get(const std::uint8_t* in, std::size_t offset) {
  T value;
  std::memcpy(&value, in + offset, sizeof(T));
  return value;
}

std::uint64_t block_hash(const std::uint8_t* data, std::size_t size) {
  std::uint64_t hash = kFnvOffset;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) hash = std::rotl((hash ^ get<std::uint64_t>(data, i)) * kFnvPrime, 29);
  for (; i < size; ++i) hash = (hash ^ data[i]) * kFnvPrime;
  return hash;
}

[[noreturn]] void fail_system(const std::string& path, const std::string& what) {
  throw Error(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

void encode(const Header& h, std::uint8_t* out) {
  std::memset(out, 0, kHeaderBytes);
  std::memcpy(out, kMagic, sizeof kMagic);
  put<std::uint32_t>(out, 8, kVersion);
  put<std::uint32_t>(out, 12, static_cast<std::uint32_t>(kHeaderBytes));
  put<std::uint64_t>(out, 16, h.fingerprint);
  put<std::uint8_t>(out, 24, h.params.crop_mode);
  put<std::uint8_t>(out, 25, h.params.halving);
  put<std::uint8_t>(out, 26, h.params.split);
  put<std::uint32_t>(out, 28, h.params.size);
  put<double>(out, 32, h.params.fraction);
  put<std::uint64_t>(out, 40, h.count);
  put<std::uint32_t>(out, 48, h.channels);
  put<std::uint32_t>(out, 52, h.height);
  put<std::uint32_t>(out, 56, h.width);
  put<std::uint32_t>(out, 60, h.label_count);
  put<std::uint64_t>(out, 64, h.payload_bytes);
  put<std::uint64_t>(out, 72, h.payload_checksum);
  put<std::uint64_t>(out, kChecksumOffset, fnv1a(kFnvOffset, out, kChecksumOffset));
}

Decoded decode(const std::uint8_t* in, std::size_t size) {
  Decoded result;
  if (size >= sizeof kMagic && std::memcmp(in, kMagic, sizeof kMagic) != 0) {
    result.foreign = true;
    result.problem = "not an image cache file";
    return result;
  }
  if (size < kHeaderBytes) {
    result.problem = "the cache file is truncated (" + std::to_string(size) + " bytes)";
    return result;
  }
  const auto version = get<std::uint32_t>(in, 8);
  if (version != kVersion || get<std::uint32_t>(in, 12) != kHeaderBytes) {
    result.problem = "the cache file has format version " + std::to_string(version) + ", expected " +
                     std::to_string(kVersion);
    return result;
  }
  if (get<std::uint64_t>(in, kChecksumOffset) != fnv1a(kFnvOffset, in, kChecksumOffset)) {
    result.problem = "the cache header is damaged (checksum mismatch)";
    return result;
  }
  Header h;
  h.fingerprint = get<std::uint64_t>(in, 16);
  h.params.crop_mode = get<std::uint8_t>(in, 24);
  h.params.halving = get<std::uint8_t>(in, 25);
  h.params.split = get<std::uint8_t>(in, 26);
  h.params.size = get<std::uint32_t>(in, 28);
  h.params.fraction = get<double>(in, 32);
  h.count = get<std::uint64_t>(in, 40);
  h.channels = get<std::uint32_t>(in, 48);
  h.height = get<std::uint32_t>(in, 52);
  h.width = get<std::uint32_t>(in, 56);
  h.label_count = get<std::uint32_t>(in, 60);
  h.payload_bytes = get<std::uint64_t>(in, 64);
  h.payload_checksum = get<std::uint64_t>(in, 72);
  result.header = h;
  return result;
}

std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
  return hash;
}

std::uint64_t checksum(const std::uint8_t* data, std::size_t size) {
  const auto blocks = static_cast<std::int64_t>((size + kBlockBytes - 1) / kBlockBytes);
  std::vector<std::uint64_t> hashes(static_cast<std::size_t>(blocks));
#pragma omp parallel for schedule(static) if (blocks > kParallelBlocks)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::size_t start = static_cast<std::size_t>(b) * kBlockBytes;
    hashes[b] = block_hash(data + start, std::min(kBlockBytes, size - start));
  }
  const std::uint64_t hash = fnv1a(kFnvOffset, hashes.data(), hashes.size() * sizeof(std::uint64_t));
  return fnv1a(hash, &size, sizeof size);
}

std::optional<Mapping> map_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail_system(path, "cannot open the cache file");
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    fail_system(path, "cannot stat the cache file");
  }
  Mapping mapping;
  mapping.size = static_cast<std::size_t>(info.st_size);
  if (mapping.size == 0) {
    ::close(fd);
    return mapping;
  }
  void* address = ::mmap(nullptr, mapping.size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (address == MAP_FAILED) fail_system(path, "cannot map the cache file");
  const std::size_t length = mapping.size;
  mapping.bytes = std::shared_ptr<const std::uint8_t>(
      static_cast<const std::uint8_t*>(address),
      [length](const std::uint8_t* p) { ::munmap(const_cast<std::uint8_t*>(p), length); });
  return mapping;
}

void write_atomically(const std::string& path, const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) throw Error(path + ": cannot create the cache's folder: " + ec.message());
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_system(temporary, "cannot create the cache file");
  const auto give_up = [&](const char* what) {
    const int saved = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    errno = saved;
    fail_system(temporary, what);
  };
  for (std::size_t written = 0; written < size;) {
    const ssize_t n = ::write(fd, data + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) give_up("cannot write the cache file");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) give_up("cannot flush the cache file");
  if (::close(fd) != 0) {
    ::unlink(temporary.c_str());
    fail_system(temporary, "cannot close the cache file");
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    errno = saved;
    fail_system(path, "cannot move the new cache file into place");
  }
}

}  // namespace nn::data::cache_file
