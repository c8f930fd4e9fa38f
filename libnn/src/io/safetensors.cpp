#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <vector>

#include "nn/error.hpp"
#include "nn/json.hpp"
#include "nn/safetensors.hpp"

#if defined(_WIN32)
#include <process.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace nn {
namespace {

// Tensor bytes are copied as they lie in memory; safetensors is little-endian.
static_assert(std::endian::native == std::endian::little, "libnn's safetensors I/O assumes a little-endian host");

// Refuse headers beyond this size before allocating for them (the reference
// implementation uses the same bound).
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr const char* kMetadataKey = "__metadata__";

[[noreturn]] void fail(const char* op, const std::string& path, const std::string& message) {
  throw Error(std::string(op) + ": '" + path + "': " + message);
}

std::string errno_text() { return std::strerror(errno); }

std::string range_str(std::uint64_t begin, std::uint64_t end) {
  std::string s = "[";
  s += std::to_string(begin);
  s += ", ";
  s += std::to_string(end);
  s += ")";
  return s;
}

const char* format_dtype(Dtype d) { return d == Dtype::f32 ? "F32" : "F64"; }

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// ---------------------------------------------------------------- writing

std::string header_text(const std::string& path, const StateDict& tensors, const Metadata& metadata) {
  constexpr const char* op = "save_safetensors";
  json::Value root = json::Value::object();
  if (!metadata.empty()) {
    json::Value meta = json::Value::object();
    for (const auto& [key, value] : metadata) meta.add(key, json::Value::string(value));
    root.add(kMetadataKey, std::move(meta));
  }
  std::uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    if (name == kMetadataKey) fail(op, path, "a tensor may not be named \"__metadata__\"");
    if (!t.defined()) fail(op, path, "tensor '" + name + "' is undefined");
    std::vector<json::Value> shape;
    for (const std::int64_t d : t.shape()) shape.push_back(json::Value::integer(d));
    const std::uint64_t end = offset + t.nbytes();
    json::Value entry = json::Value::object();
    entry.add("dtype", json::Value::string(format_dtype(t.dtype())));
    entry.add("shape", json::Value::array(std::move(shape)));
    entry.add("data_offsets", json::Value::array({json::Value::integer(static_cast<std::int64_t>(offset)),
                                                  json::Value::integer(static_cast<std::int64_t>(end))}));
    root.add(name, std::move(entry));
    offset = end;
  }
  // Names and metadata come from the caller; the writer refuses invalid UTF-8.
  std::string text;
  try {
    text = json::dump(root);
  } catch (const Error& e) {
    fail(op, path, std::string("a tensor name or metadata string is not valid UTF-8 (") + e.what() + ")");
  }
  // Pad with spaces so that the data section starts 8-byte aligned.
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

std::string little_endian_u64(std::uint64_t v) {
  std::string bytes(8, '\0');
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return bytes;
}

int process_id() {
#if defined(_WIN32)
  return _getpid();
#else
  return static_cast<int>(getpid());
#endif
}

// Makes a rename durable: best effort, a failure here loses nothing already written.
void sync_directory(const std::filesystem::path& dir) {
#if !defined(_WIN32)
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
#else
  (void)dir;
#endif
}

// A temporary file next to the target, removed on destruction unless it was
// renamed over the target.
class TempFile {
 public:
  TempFile(std::string path, std::string target) : path_(std::move(path)), target_(std::move(target)) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_) fail("cannot create temporary file '" + path_ + "': " + errno_text());
  }
  ~TempFile() {
    if (file_) std::fclose(file_);
    if (!committed_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write(const void* data, std::size_t bytes, const std::string& what) {
    if (bytes && std::fwrite(data, 1, bytes, file_) != bytes)
      fail("writing " + what + " to '" + path_ + "' failed: " + errno_text());
  }

  void commit() {
    if (std::fflush(file_) != 0) fail("flushing '" + path_ + "' failed: " + errno_text());
#if !defined(_WIN32)
    if (::fsync(::fileno(file_)) != 0) fail("fsync of '" + path_ + "' failed: " + errno_text());
#endif
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (closed != 0) fail("closing '" + path_ + "' failed: " + errno_text());
    std::error_code ec;
    std::filesystem::rename(path_, target_, ec);
    if (ec) fail("cannot rename the temporary file over the target: " + ec.message());
    committed_ = true;
    sync_directory(std::filesystem::path(target_).parent_path());
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { nn::fail("save_safetensors", target_, message); }

  std::string path_;
  std::string target_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

// ---------------------------------------------------------------- reading

struct Entry {
  std::string name;
  Dtype dtype = Dtype::f32;
  Shape shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

class HeaderReader {
 public:
  HeaderReader(const std::string& path, std::uint64_t header_bytes) : path_(path), header_bytes_(header_bytes) {}

  [[noreturn]] void fail(const std::string& message) const { nn::fail("load_safetensors", path_, message); }

  json::Value parse(const std::string& text) const {
    json::Value root;
    try {
      root = json::parse(text);
    } catch (const json::ParseError& e) {
      fail("malformed JSON header " + where(e.position()) + ": " + e.message());
    }
    check_subset(root);
    return root;
  }

  Metadata metadata(const json::Value& v) const {
    if (v.kind() != json::Value::Kind::object)
      fail(std::string("\"__metadata__\" must be an object of strings, found ") + kind_name(v.kind()) + at(v));
    Metadata out;
    for (const json::Member& m : v.members()) {
      if (m.value.kind() != json::Value::Kind::string)
        fail("metadata value \"" + m.key + "\" must be a string, found " + kind_name(m.value.kind()) + at(m.value));
      out[m.key] = m.value.as_string();
    }
    return out;
  }

  Entry entry(const std::string& name, const json::Value& v) const {
    const std::string who = "tensor '" + name + "'";
    if (v.kind() != json::Value::Kind::object)
      fail(who + ": entry must be an object, found " + kind_name(v.kind()) + at(v));
    for (const json::Member& m : v.members())
      if (m.key != "dtype" && m.key != "shape" && m.key != "data_offsets")
        fail(who + ": unknown field \"" + m.key + "\"" + at(m.value));
    Entry e;
    e.name = name;
    e.dtype = dtype(who, field(who, v, "dtype", json::Value::Kind::string));
    for (const json::Value& d : field(who, v, "shape", json::Value::Kind::array).items())
      e.shape.push_back(non_negative(who, "shape", d));
    const std::vector<json::Value>& offsets = field(who, v, "data_offsets", json::Value::Kind::array).items();
    if (offsets.size() != 2)
      fail(who + ": data_offsets must hold two integers, found " + std::to_string(offsets.size()) +
           at(*v.find("data_offsets")));
    e.begin = static_cast<std::uint64_t>(non_negative(who, "data_offsets", offsets[0]));
    e.end = static_cast<std::uint64_t>(non_negative(who, "data_offsets", offsets[1]));
    if (e.end < e.begin) fail(who + ": data_offsets " + range_str(e.begin, e.end) + " end before they begin");
    const std::uint64_t expected = byte_count(who, e);
    if (e.end - e.begin != expected)
      fail(who + ": shape " + shape_str(e.shape) + " " + format_dtype(e.dtype) + " needs " +
           std::to_string(expected) + " bytes but data_offsets " + range_str(e.begin, e.end) + " span " +
           std::to_string(e.end - e.begin));
    return e;
  }

 private:
  std::string at(const json::Value& v) const { return " (header byte " + std::to_string(v.position()) + ")"; }

  std::string where(std::size_t position) const {
    return "at header byte " + std::to_string(position) + " of " + std::to_string(header_bytes_) +
           " (file offset " + std::to_string(8 + position) + ")";
  }

  // A safetensors header is JSON of objects, arrays, strings and integers only.
  void check_subset(const json::Value& v) const {
    const std::string refused = "unsupported JSON in the header " + where(v.position()) + ": ";
    switch (v.kind()) {
      case json::Value::Kind::number:
        fail(refused + "a safetensors header holds integers, not fractions or exponents");
      case json::Value::Kind::boolean:
      case json::Value::Kind::null:
        fail(refused + "a safetensors header holds objects, arrays, strings and integers, not true, false or null");
      case json::Value::Kind::array:
        for (const json::Value& item : v.items()) check_subset(item);
        return;
      case json::Value::Kind::object:
        for (const json::Member& m : v.members()) check_subset(m.value);
        return;
      case json::Value::Kind::integer:
      case json::Value::Kind::string: return;
    }
  }

  const json::Value& field(const std::string& who, const json::Value& v, const char* key,
                           json::Value::Kind kind) const {
    const json::Value* f = v.find(key);
    if (!f) fail(who + ": missing field \"" + key + "\"" + at(v));
    if (f->kind() != kind)
      fail(who + ": \"" + key + "\" must be " + kind_name(kind) + ", found " + kind_name(f->kind()) + at(*f));
    return *f;
  }

  Dtype dtype(const std::string& who, const json::Value& v) const {
    if (v.as_string() == "F32") return Dtype::f32;
    if (v.as_string() == "F64") return Dtype::f64;
    fail(who + ": unsupported dtype \"" + v.as_string() + "\" (libnn reads F32 and F64)" + at(v));
  }

  std::int64_t non_negative(const std::string& who, const char* key, const json::Value& v) const {
    if (v.kind() != json::Value::Kind::integer)
      fail(who + ": " + key + " must hold integers, found " + kind_name(v.kind()) + at(v));
    if (v.as_integer() < 0)
      fail(who + ": " + key + " holds the negative value " + std::to_string(v.as_integer()) + at(v));
    return v.as_integer();
  }

  std::uint64_t byte_count(const std::string& who, const Entry& e) const {
    std::uint64_t n = dtype_size(e.dtype);
    for (const std::int64_t d : e.shape) {
      const auto u = static_cast<std::uint64_t>(d);
      if (u != 0 && n > std::numeric_limits<std::uint64_t>::max() / u)
        fail(who + ": shape " + shape_str(e.shape) + " is too large");
      n *= u;
    }
    return n;
  }

  const std::string& path_;
  std::uint64_t header_bytes_;
};

std::uint64_t file_size(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) fail("load_safetensors", path, "cannot open: no such file");
  if (std::filesystem::is_directory(status)) fail("load_safetensors", path, "cannot open: is a directory");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) fail("load_safetensors", path, "cannot read the file size: " + ec.message());
  return size;
}

void read_exact(std::FILE* file, void* data, std::size_t bytes, const std::string& path, const std::string& what) {
  if (bytes && std::fread(data, 1, bytes, file) != bytes)
    fail("load_safetensors", path, "reading " + what + " failed" + (std::ferror(file) ? ": " + errno_text() : ""));
}

// Tensors must tile the data section from 0 to its end, in offset order.
void check_layout(const HeaderReader& reader, std::vector<Entry>& entries, std::uint64_t data_bytes,
                  std::uint64_t file_bytes) {
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
  std::uint64_t expected_begin = 0;
  const Entry* previous = nullptr;
  for (const Entry& e : entries) {
    if (e.begin < expected_begin)
      reader.fail("tensor '" + e.name + "' bytes " + range_str(e.begin, e.end) + " overlap tensor '" +
                  previous->name + "' bytes " + range_str(previous->begin, previous->end));
    if (e.begin > expected_begin)
      reader.fail("tensor '" + e.name + "' starts at byte " + std::to_string(e.begin) +
                  " of the data section, leaving a gap " + range_str(expected_begin, e.begin) + " after " +
                  (previous ? "tensor '" + previous->name + "'" : std::string("the header")));
    if (e.end > data_bytes)
      reader.fail("truncated file: tensor '" + e.name + "' needs bytes " + range_str(e.begin, e.end) +
                  " of the data section but it holds " + std::to_string(data_bytes) + " (file size " +
                  std::to_string(file_bytes) + " bytes)");
    expected_begin = e.end;
    previous = &e;
  }
  if (expected_begin != data_bytes)
    reader.fail("the data section holds " + std::to_string(data_bytes) + " bytes but the tensors end at byte " +
                std::to_string(expected_begin) + " (" + std::to_string(data_bytes - expected_begin) +
                " trailing bytes)");
}

}  // namespace

void save_safetensors(const std::string& path, const StateDict& tensors, const Metadata& metadata) {
  const std::string header = header_text(path, tensors, metadata);
  TempFile file(path + ".tmp-" + std::to_string(process_id()), path);
  const std::string length = little_endian_u64(header.size());
  file.write(length.data(), length.size(), "the header length");
  file.write(header.data(), header.size(), "the header");
  for (const auto& [name, t] : tensors) {
    const Tensor host = t.to(Device::cpu());
    file.write(host.raw_data(), host.nbytes(), "tensor '" + name + "'");
  }
  file.commit();
}

SafetensorsFile load_safetensors(const std::string& path) {
  const std::uint64_t size = file_size(path);
  if (size < 8)
    fail("load_safetensors", path,
         "file is " + std::to_string(size) + " bytes, shorter than the 8-byte header length");
  const FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) fail("load_safetensors", path, "cannot open: " + errno_text());

  unsigned char length_bytes[8];
  read_exact(file.get(), length_bytes, 8, path, "the header length");
  std::uint64_t header_bytes = 0;
  for (int i = 7; i >= 0; --i) header_bytes = (header_bytes << 8) | length_bytes[i];
  if (header_bytes > size - 8)
    fail("load_safetensors", path,
         "header length " + std::to_string(header_bytes) + " runs past the end of the file (" +
             std::to_string(size) + " bytes)");
  if (header_bytes > kMaxHeaderBytes)
    fail("load_safetensors", path,
         "header length " + std::to_string(header_bytes) + " exceeds the limit of " +
             std::to_string(kMaxHeaderBytes) + " bytes");

  std::string text(static_cast<std::size_t>(header_bytes), '\0');
  read_exact(file.get(), text.data(), text.size(), path, "the header");
  const HeaderReader reader(path, header_bytes);
  const json::Value root = reader.parse(text);
  if (root.kind() != json::Value::Kind::object)
    reader.fail(std::string("the header must be a JSON object, found ") + kind_name(root.kind()));

  SafetensorsFile out;
  std::vector<Entry> entries;
  for (const json::Member& m : root.members()) {
    if (m.key == kMetadataKey) out.metadata = reader.metadata(m.value);
    else entries.push_back(reader.entry(m.key, m.value));
  }
  check_layout(reader, entries, size - 8 - header_bytes, size);

  for (const Entry& e : entries) {
    Tensor t = empty(e.shape, TensorOptions().dtype(e.dtype));
    read_exact(file.get(), t.raw_data(), t.nbytes(), path,
               "tensor '" + e.name + "' bytes " + range_str(e.begin, e.end));
    out.tensors.emplace(e.name, std::move(t));
  }
  return out;
}

}  // namespace nn
