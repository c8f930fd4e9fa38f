#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nn/nn.hpp>

#include "support/file_bytes.hpp"
#include "support/scratch_dir.hpp"
#include <string>
#include <vector>

using namespace nn;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// Every scratch directory of this file carries its name.
struct ScratchDir : nn::testing::ScratchDir {
  ScratchDir() : nn::testing::ScratchDir("libnn_io_test") {}
};

using nn::testing::read_bytes;
using nn::testing::write_bytes;

// A file assembled by hand from the format: 8-byte little-endian header
// length, the header text, then the data bytes.
std::string hand_made(const std::string& header, const std::string& data) {
  std::string out;
  const std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
  return out + header + data;
}

template <class T>
std::string raw_of(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string raw_of(const Tensor& t) {
  return std::string(static_cast<const char*>(t.raw_data()), t.nbytes());
}

std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().find(".tmp-") != std::string::npos)
      names.push_back(entry.path().filename().string());
  return names;
}

StateDict sample_tensors() {
  manual_seed(11);
  const TensorOptions f64 = TensorOptions().dtype(Dtype::f64);
  StateDict sd;
  sd["b.scalar"] = scalar(-2.75, f64);
  sd["a.vector"] = uniform({7}, -3, 3);
  sd["c.matrix"] = normal({3, 5}, 0, 2, f64);
  sd["d.image"] = uniform({2, 3, 4, 5}, -1, 1);
  // Values whose bits are easy to lose in a text or conversion round trip.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const float tiny = std::numeric_limits<float>::denorm_min();
  sd["e.special"] = from_vector<float>({nan, -0.0f, inf, -inf, tiny, 1e38f}, {2, 3});
  sd["f.empty"] = zeros({0, 4}, f64);
  return sd;
}

// Finds the decimal integer after `key` in `text`, starting at `from`.
std::uint64_t number_after(const std::string& text, const std::string& key, std::size_t from) {
  std::size_t at = text.find(key, from);
  REQUIRE(at != std::string::npos);
  at += key.size();
  while (at < text.size() && (text[at] < '0' || text[at] > '9')) ++at;
  std::uint64_t v = 0;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') v = v * 10 + static_cast<std::uint64_t>(text[at++] - '0');
  return v;
}

}  // namespace

TEST_CASE("safetensors round trip keeps every bit, shape, dtype and metadata", "[io]") {
  ScratchDir dir;
  const std::string path = dir.file("model.safetensors");
  const StateDict saved = sample_tensors();
  const Metadata meta{{"format", "pt"},
                      {"note", "quote \" backslash \\ newline \n tab \t control \x01 accents \xC3\xA9 emoji \xF0\x9F\x98\x80"},
                      {"", "empty key"}};
  save_safetensors(path, saved, meta);

  const SafetensorsFile loaded = load_safetensors(path);
  CHECK(loaded.metadata == meta);
  REQUIRE(loaded.tensors.size() == saved.size());
  for (const auto& [name, t] : saved) {
    INFO(name);
    REQUIRE(loaded.tensors.count(name) == 1);
    const Tensor& u = loaded.tensors.at(name);
    CHECK(u.device().is_cpu());
    CHECK(u.dtype() == t.dtype());
    CHECK(u.shape() == t.shape());
    CHECK(raw_of(u) == raw_of(t));
  }
  CHECK(loaded.tensors.at("b.scalar").dim() == 0);
  CHECK(loaded.tensors.at("b.scalar").item() == -2.75);
  CHECK(std::signbit(loaded.tensors.at("e.special").to_vector<float>()[1]));
  CHECK(std::isnan(loaded.tensors.at("e.special").to_vector<float>()[0]));
}

TEST_CASE("safetensors saves a batch view's own rows and an empty dict", "[io]") {
  ScratchDir dir;
  const Tensor whole = arange(12, TensorOptions().dtype(Dtype::f64)).reshape({4, 3});
  save_safetensors(dir.file("view.safetensors"), {{"rows", whole.slice_batch(1, 3)}});
  const Tensor rows = load_safetensors(dir.file("view.safetensors")).tensors.at("rows");
  CHECK(rows.shape() == Shape{2, 3});
  CHECK(rows.to_vector<double>() == std::vector<double>{3, 4, 5, 6, 7, 8});

  save_safetensors(dir.file("empty.safetensors"), {});
  const SafetensorsFile empty_file = load_safetensors(dir.file("empty.safetensors"));
  CHECK(empty_file.tensors.empty());
  CHECK(empty_file.metadata.empty());
}

TEST_CASE("an independent reader of the format agrees with the writer", "[io]") {
  ScratchDir dir;
  const std::string path = dir.file("check.safetensors");
  const std::vector<double> w_values{0.5, -1.25, 3e-300, 7.0, -0.0, 1.0 / 3.0};
  const std::vector<float> a_values{1.5f, -2.0f};
  StateDict sd;
  sd["a"] = from_vector<float>(a_values, {2});
  sd["w"] = from_vector<double>(w_values, {2, 3}, TensorOptions().dtype(Dtype::f64));
  save_safetensors(path, sd, {{"epoch", "3"}});

  const std::string bytes = read_bytes(path);
  REQUIRE(bytes.size() >= 8);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  CHECK(n % 8 == 0);
  REQUIRE(8 + n <= bytes.size());
  const std::string header = bytes.substr(8, n);
  CHECK(header.front() == '{');
  CHECK(header.find("\"__metadata__\"") != std::string::npos);
  CHECK(header.find("\"epoch\":\"3\"") != std::string::npos);

  const std::size_t w_at = header.find("\"w\":");
  REQUIRE(w_at != std::string::npos);
  const std::size_t w_end = header.find('}', w_at);
  const std::string w_entry = header.substr(w_at, w_end - w_at);
  CHECK(w_entry.find("\"dtype\":\"F64\"") != std::string::npos);
  CHECK(w_entry.find("\"shape\":[2,3]") != std::string::npos);
  const std::uint64_t begin = number_after(header, "\"data_offsets\"", w_at);
  const std::uint64_t end = number_after(header, ",", header.find("\"data_offsets\"", w_at));
  CHECK(end - begin == w_values.size() * sizeof(double));
  REQUIRE(8 + n + end <= bytes.size());
  std::vector<double> read_back(w_values.size());
  std::memcpy(read_back.data(), bytes.data() + 8 + n + begin, end - begin);
  CHECK(raw_of(read_back) == raw_of(w_values));
  // The data section is exactly the two tensors, a (8 bytes) before w.
  CHECK(bytes.size() == 8 + n + 8 + 48);
}

TEST_CASE("a file written by hand from the specification loads", "[io]") {
  ScratchDir dir;
  const std::string path = dir.file("hand.safetensors");
  const std::vector<float> x{1, 2, 3, 4, 5, 6};
  const std::vector<double> y{-0.5};
  // Keys out of offset order, escapes in a name, padding after the JSON.
  const std::string header =
      "{\"y\xC3\xA9\\u00e9\\ud83d\\ude00\":{\"data_offsets\":[24,32],\"shape\":[],\"dtype\":\"F64\"},\n"
      " \"x\\/\\\"\" : {\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]},"
      "\"__metadata__\":{\"k\\n\":\"v\\t\"}}    ";
  write_bytes(path, hand_made(header, raw_of(x) + raw_of(y)));
  const SafetensorsFile f = load_safetensors(path);
  CHECK(f.metadata == Metadata{{"k\n", "v\t"}});
  REQUIRE(f.tensors.count("x/\"") == 1);
  CHECK(f.tensors.at("x/\"").shape() == Shape{3, 2});
  CHECK(f.tensors.at("x/\"").to_vector<float>() == x);
  const std::string y_name = "y\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80";
  REQUIRE(f.tensors.count(y_name) == 1);
  CHECK(f.tensors.at(y_name).dtype() == Dtype::f64);
  CHECK(f.tensors.at(y_name).dim() == 0);
  CHECK(f.tensors.at(y_name).item() == -0.5);
}

TEST_CASE("a failed save leaves the previous file and no temporary behind", "[io]") {
  ScratchDir dir;
  const std::string path = dir.file("keep.safetensors");
  const StateDict old_state{{"v", from_vector<float>({1, 2, 3}, {3})}};
  save_safetensors(path, old_state);
  const std::string old_bytes = read_bytes(path);

  SECTION("an undefined tensor") {
    CHECK_THROWS_WITH(save_safetensors(path, {{"bad", Tensor()}}), Contains(path) && Contains("'bad'"));
  }
  SECTION("a reserved name") {
    CHECK_THROWS_WITH(save_safetensors(path, {{"__metadata__", zeros({1})}}), Contains(path));
  }
  SECTION("a name that is not UTF-8") {
    CHECK_THROWS_WITH(save_safetensors(path, {{"bad\xFF", zeros({1})}}), Contains(path) && Contains("UTF-8"));
  }
  SECTION("the temporary file cannot be created") {
    const fs::path blocker = path + ".tmp-" + std::to_string(getpid());
    fs::create_directory(blocker);
    CHECK_THROWS_WITH(save_safetensors(path, {{"v", zeros({3})}}), Contains(path) && Contains("temporary"));
    fs::remove(blocker);
  }
  CHECK(read_bytes(path) == old_bytes);
  CHECK(load_safetensors(path).tensors.at("v").to_vector<float>() == std::vector<float>{1, 2, 3});
  CHECK(leftovers(dir.path).empty());
}

TEST_CASE("a save onto a directory or into a missing directory fails cleanly", "[io]") {
  ScratchDir dir;
  const std::string target = dir.file("occupied");
  fs::create_directory(target);
  write_bytes(dir.file("occupied/inside.txt"), "keep me");
  CHECK_THROWS_WITH(save_safetensors(target, {{"v", ones({4})}}), Contains(target));
  CHECK(fs::is_directory(target));
  CHECK(read_bytes(dir.file("occupied/inside.txt")) == "keep me");
  CHECK(leftovers(dir.path).empty());

  const std::string missing = dir.file("no/such/dir/model.safetensors");
  CHECK_THROWS_WITH(save_safetensors(missing, {{"v", ones({4})}}), Contains(missing));
  CHECK_FALSE(fs::exists(dir.file("no")));
}

TEST_CASE("truncated files are refused naming the tensor and byte range", "[io]") {
  ScratchDir dir;
  const std::string path = dir.file("cut.safetensors");
  StateDict sd;
  sd["first"] = ones({4});                                           // data bytes [0, 16)
  sd["second"] = ones({2, 3}, TensorOptions().dtype(Dtype::f64));  // data bytes [16, 64)
  save_safetensors(path, sd);
  const std::string bytes = read_bytes(path);
  const std::uint64_t header = bytes.size() - 8 - 64;

  write_bytes(path, bytes.substr(0, bytes.size() - 5));
  const std::string size_text = std::to_string(bytes.size() - 5);
  CHECK_THROWS_WITH(load_safetensors(path), Contains(path) && Contains("truncated") && Contains("'second'") &&
                                                Contains("[16, 64)") && Contains(size_text));

  write_bytes(path, bytes.substr(0, 8 + header + 10));
  CHECK_THROWS_WITH(load_safetensors(path), Contains("'first'") && Contains("[0, 16)"));

  write_bytes(path, bytes.substr(0, 8 + header / 2));
  CHECK_THROWS_WITH(load_safetensors(path), Contains(path) && Contains("header length") &&
                                                Contains(std::to_string(header)));

  write_bytes(path, bytes.substr(0, 5));
  CHECK_THROWS_WITH(load_safetensors(path), Contains(path) && Contains("5 bytes") && Contains("8-byte"));

  CHECK_THROWS_WITH(load_safetensors(dir.file("absent.safetensors")),
                    Contains("absent.safetensors") && Contains("no such file"));
}

TEST_CASE("corrupt headers are refused with a clear message", "[io]") {
  ScratchDir dir;
  const std::string path = dir.file("bad.safetensors");
  const std::string eight(8, '\0');
  const auto refuse = [&](const std::string& header, const std::string& data) {
    write_bytes(path, hand_made(header, data));
    try {
      load_safetensors(path);
    } catch (const Error& e) {
      const std::string what = e.what();
      CHECK_THAT(what, Contains(path));
      return what;
    }
    FAIL("accepted: " << header);
    return std::string();
  };

  SECTION("malformed JSON names the byte position") {
    CHECK_THAT(refuse("{\"a\" 1}", ""), Contains("malformed JSON") && Contains("header byte 5 "));
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",", ""), Contains("malformed JSON") && Contains("end of input"));
    CHECK_THAT(refuse("{\"a\":1.5}", ""), Contains("header byte 5 ") && Contains("integers"));
    CHECK_THAT(refuse("{\"a\":true}", ""), Contains("header byte 5 "));
    CHECK_THAT(refuse("{\"a\":01}", ""), Contains("leading zeros"));
    CHECK_THAT(refuse("{\"a\":1,\"a\":2}", ""), Contains("duplicate key"));
    CHECK_THAT(refuse("{\"a\\q\":1}", ""), Contains("invalid escape"));
    CHECK_THAT(refuse("{\"\\ud800\":1}", ""), Contains("surrogate"));
    CHECK_THAT(refuse("{\"\xC3\":1}", ""), Contains("UTF-8"));
    CHECK_THAT(refuse("{\"a\":99999999999999999999}", ""), Contains("64-bit"));
    CHECK_THAT(refuse("{} x", ""), Contains("header byte 3 "));
    CHECK_THAT(refuse("[1]", ""), Contains("JSON object"));
    CHECK_THAT(refuse(std::string(200, '[') + std::string(200, ']'), ""), Contains("nesting"));
  }
  SECTION("unsupported dtype names the tensor") {
    CHECK_THAT(refuse("{\"half\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", eight),
               Contains("'half'") && Contains("F16"));
  }
  SECTION("offsets that disagree with the shape name the tensor and range") {
    CHECK_THAT(refuse("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", std::string(12, '\0')),
               Contains("'w'") && Contains("[0, 12)") && Contains("8 bytes"));
    CHECK_THAT(refuse("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", eight),
               Contains("'w'") && Contains("[8, 0)"));
    CHECK_THAT(refuse("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", eight),
               Contains("'w'") && Contains("negative"));
  }
  SECTION("overlapping, gapped or out-of-range offsets") {
    const std::string twelve(12, '\0');
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                      "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                      twelve),
               Contains("overlap") && Contains("'a'") && Contains("'b'"));
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", twelve),
               Contains("'a'") && Contains("gap"));
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", eight),
               Contains("'a'") && Contains("[0, 16)"));
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", twelve),
               Contains("trailing"));
  }
  SECTION("missing, unknown or mistyped fields") {
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", eight), Contains("'a'") && Contains("data_offsets"));
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", eight),
               Contains("unknown field"));
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", eight),
               Contains("'a'") && Contains("shape"));
    CHECK_THAT(refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", eight),
               Contains("two integers"));
    CHECK_THAT(refuse("{\"__metadata__\":{\"k\":1}}", ""), Contains("metadata") && Contains("\"k\""));
    CHECK_THAT(refuse("{\"a\":[]}", ""), Contains("'a'") && Contains("object"));
  }
}

TEST_CASE("a file for outside readers (LIBNN_SAFETENSORS_OUT)", "[io]") {
  // tests/io/read_with_python.py recomputes these values and compares them
  // with what safetensors' own reader gets from the file.
  ScratchDir dir;
  const char* env = std::getenv("LIBNN_SAFETENSORS_OUT");
  const std::string path = env && *env ? std::string(env) : dir.file("outside.safetensors");
  std::vector<float> grid(24);
  for (std::size_t i = 0; i < grid.size(); ++i) grid[i] = (static_cast<float>(i) - 2.5f) / 4.0f;
  std::vector<double> thirds(5);
  for (std::size_t i = 0; i < thirds.size(); ++i) thirds[i] = static_cast<double>(i) / 3.0;
  StateDict sd;
  sd["layer.weight"] = from_vector<float>(grid, {2, 3, 4});
  sd["layer.bias"] = from_vector<double>(thirds, {5}, TensorOptions().dtype(Dtype::f64));
  sd["step"] = scalar(1234.0, TensorOptions().dtype(Dtype::f64));
  save_safetensors(path, sd, {{"writer", "libnn"}, {"note", "caf\xC3\xA9"}});
  const SafetensorsFile f = load_safetensors(path);
  CHECK(f.tensors.at("layer.weight").to_vector<float>() == grid);
  CHECK(f.tensors.at("layer.bias").to_vector<double>() == thirds);
}

TEST_CASE("every one-byte corruption of the header is refused or loads, never crashes", "[io]") {
  ScratchDir dir;
  const std::string path = dir.file("mutant.safetensors");
  StateDict sd;
  sd["w"] = from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  sd["s"] = scalar(0.25, TensorOptions().dtype(Dtype::f64));
  save_safetensors(path, sd, {{"k", "v"}});
  const std::string good = read_bytes(path);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(good[static_cast<std::size_t>(i)]);
  // Patched in place: rewriting a truncated file makes ext4 flush it each time.
  const auto patch = [&](std::size_t at, char byte) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at));
    f.put(byte);
  };
  int tried = 0, refused = 0;
  for (std::size_t at = 0; at < 8 + n; ++at) {
    for (const char replacement : {'"', '{', ']', '9', ',', '\\', '\xFF', '\0'}) {
      if (good[at] == replacement) continue;
      patch(at, replacement);
      ++tried;
      try {
        load_safetensors(path);
      } catch (const Error& e) {
        ++refused;
        CHECK_THAT(std::string(e.what()), Contains(path));
      }
      patch(at, good[at]);
    }
  }
  CHECK(read_bytes(path) == good);
  // Most corruptions break the JSON or the layout; a few (a digit inside a
  // metadata string, say) leave a valid file.
  CHECK(refused > tried * 9 / 10);
}
