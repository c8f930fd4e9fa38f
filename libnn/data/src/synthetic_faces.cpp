// Writing a CelebA-layout folder of synthetic faces, and reusing one.
#include "nn/data/synthetic_faces.hpp"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "nn/error.hpp"
#include "progress_counter.hpp"

namespace nn::data {
namespace {

namespace fs = std::filesystem;

// Bump when the drawing or the labels change, so that old folders are redrawn.
constexpr int kGeneratorVersion = 1;
constexpr const char* kStampName = "synthetic_faces.stamp";
constexpr int kJpegQuality = 92;

std::string stamp_text(std::int64_t count, std::uint64_t seed, bool complete) {
  std::ostringstream text;
  text << "libnn synthetic faces\nversion " << kGeneratorVersion << "\ncount " << count << "\nseed " << seed
       << "\nstate " << (complete ? "complete" : "writing") << "\n";
  return text.str();
}

std::string read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw Error("synthetic faces: cannot write " + path.string());
}

std::string image_name(std::int64_t index) {
  char name[32];
  std::snprintf(name, sizeof(name), "%06lld.jpg", static_cast<long long>(index + 1));
  return name;
}

// A folder we may (over)write: missing, empty, or stamped by us before.
void check_target(const fs::path& dir) {
  std::error_code error;
  if (!fs::exists(dir, error)) return;
  if (!fs::is_directory(dir, error)) throw Error("synthetic faces: " + dir.string() + " exists and is not a folder");
  if (fs::exists(dir / kStampName, error)) return;
  if (!fs::is_empty(dir, error)) {
    throw Error("synthetic faces: refusing to write into " + dir.string() + ": it is not empty and holds no " +
                kStampName + " (it may be a real dataset)");
  }
}

std::string attribute_file(const std::vector<std::array<bool, kCelebaAttributeCount>>& rows) {
  std::string text = std::to_string(rows.size()) + "\n";
  for (std::size_t a = 0; a < celeba_attribute_names().size(); ++a) {
    if (a > 0) text += ' ';
    text += celeba_attribute_names()[a];
  }
  text += '\n';
  for (std::size_t i = 0; i < rows.size(); ++i) {
    text += image_name(static_cast<std::int64_t>(i));
    for (bool value : rows[i]) text += value ? "  1" : " -1";
    text += '\n';
  }
  return text;
}

std::string partition_file(std::int64_t count) {
  std::string text;
  for (std::int64_t i = 0; i < count; ++i) {
    text += image_name(i) + " " + std::to_string(synthetic_face_partition(i, count)) + "\n";
  }
  return text;
}

}  // namespace

int synthetic_face_partition(std::int64_t index, std::int64_t count) {
  const std::int64_t train = count * 8 / 10, validation = count / 10;
  if (index < train) return 0;
  return index < train + validation ? 1 : 2;
}

void write_synthetic_celeba(const std::string& dir_name, std::int64_t count, std::uint64_t seed,
                            const ProgressReport& progress) {
  if (count <= 0) throw Error("synthetic faces: count must be positive, got " + std::to_string(count));
  const fs::path dir(dir_name);
  check_target(dir);
  const fs::path images = dir / "img_align_celeba";
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw Error("synthetic faces: cannot create " + dir.string() + ": " + error.message());
  write_text_file(dir / kStampName, stamp_text(count, seed, false));
  fs::remove_all(images, error);
  fs::create_directories(images, error);
  if (error) throw Error("synthetic faces: cannot create " + images.string() + ": " + error.message());

  std::vector<std::array<bool, kCelebaAttributeCount>> rows(static_cast<std::size_t>(count));
  std::string failure;
  std::atomic<bool> failed = false;
  ProgressCounter counter(progress, count);
#pragma omp parallel for schedule(dynamic, 8)
  for (std::int64_t i = 0; i < count; ++i) {
    if (failed) continue;
    try {
      SyntheticFace face = render_synthetic_face(seed, i);
      write_jpeg((images / image_name(i)).string(), face.image, kJpegQuality);
      rows[static_cast<std::size_t>(i)] = face.attributes;
      counter.advance();
    } catch (const std::exception& e) {
#pragma omp critical(synthetic_faces_failure)
      if (failure.empty()) failure = e.what();
      failed = true;
    }
  }
  if (!failure.empty()) throw Error(failure);

  write_text_file(dir / "list_attr_celeba.txt", attribute_file(rows));
  write_text_file(dir / "list_eval_partition.txt", partition_file(count));
  write_text_file(dir / kStampName, stamp_text(count, seed, true));
}

bool ensure_synthetic_celeba(const std::string& dir_name, std::int64_t count, std::uint64_t seed,
                             const ProgressReport& progress) {
  const fs::path dir(dir_name);
  std::error_code error;
  const bool complete = read_small_file(dir / kStampName) == stamp_text(count, seed, true) &&
                        fs::is_regular_file(dir / "list_attr_celeba.txt", error) &&
                        fs::is_regular_file(dir / "list_eval_partition.txt", error) &&
                        fs::is_regular_file(dir / "img_align_celeba" / image_name(count - 1), error);
  if (complete) return false;
  write_synthetic_celeba(dir_name, count, seed, progress);
  return true;
}

}  // namespace nn::data
