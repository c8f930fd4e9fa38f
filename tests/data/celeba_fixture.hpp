#pragma once
// Small CelebA-layout folders that the data tests write into temporary
// directories, in the distributed text layout or the CSV variant.
#include <unistd.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nn/image.hpp>

namespace celeba_fixture {

namespace fs = std::filesystem;

// CelebA's header line, written out here rather than taken from the code under test.
inline const char* const kNamesLine =
    "5_o_Clock_Shadow Arched_Eyebrows Attractive Bags_Under_Eyes Bald Bangs Big_Lips Big_Nose Black_Hair "
    "Blond_Hair Blurry Brown_Hair Bushy_Eyebrows Chubby Double_Chin Eyeglasses Goatee Gray_Hair Heavy_Makeup "
    "High_Cheekbones Male Mouth_Slightly_Open Mustache Narrow_Eyes No_Beard Oval_Face Pale_Skin Pointy_Nose "
    "Receding_Hairline Rosy_Cheeks Sideburns Smiling Straight_Hair Wavy_Hair Wearing_Earrings Wearing_Hat "
    "Wearing_Lipstick Wearing_Necklace Wearing_Necktie Young";

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("nn_celeba_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

struct Row {
  std::string file;
  std::array<int, 40> values;  // -1 / 1
  int partition;               // 0, 1, 2
};

// Row i: attribute a is 1 when (a + i) % 3 == 0, with partitions cycling 0, 0, 1, 2.
inline std::vector<Row> make_rows(int count) {
  std::vector<Row> rows;
  for (int i = 0; i < count; ++i) {
    Row row;
    const std::string number = std::to_string(i + 1);
    row.file = std::string(6 - number.size(), '0') + number + ".jpg";
    for (int a = 0; a < 40; ++a) row.values[a] = (a + i) % 3 == 0 ? 1 : -1;
    row.partition = std::array<int, 4>{0, 0, 1, 2}[i % 4];
    rows.push_back(row);
  }
  return rows;
}

inline std::string values_text(const Row& row, const char* separator) {
  std::string text;
  for (int v : row.values) text += separator + std::to_string(v);
  return text;
}

// The distributed layout: a count line, the names line (with CelebA's
// trailing space), rows padded with two spaces before a positive value.
inline std::string attribute_txt(const std::vector<Row>& rows) {
  std::string text = std::to_string(rows.size()) + "\n" + kNamesLine + " \n";
  for (const Row& row : rows) {
    text += row.file;
    for (int v : row.values) text += v == 1 ? "  1" : " " + std::to_string(v);
    text += "\n";
  }
  return text;
}

inline std::string attribute_csv(const std::vector<Row>& rows) {
  std::string names = kNamesLine;
  for (char& c : names)
    if (c == ' ') c = ',';
  std::string text = "image_id," + names + "\r\n";
  for (const Row& row : rows) text += row.file + values_text(row, ",") + "\r\n";
  return text;
}

inline std::string partition_txt(const std::vector<Row>& rows) {
  std::string text;
  for (const Row& row : rows) text += row.file + " " + std::to_string(row.partition) + "\n";
  return text;
}

inline std::string partition_csv(const std::vector<Row>& rows) {
  std::string text = "image_id,partition\n";
  for (const Row& row : rows) text += row.file + "," + std::to_string(row.partition) + "\n";
  return text;
}

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Replaces line `number` (from 1) of a text file; an empty replacement drops the line.
inline void replace_line(const fs::path& path, int number, const std::string& replacement) {
  const std::string text = read_text(path);
  std::string out;
  std::size_t pos = 0;
  for (int line = 1; pos < text.size(); ++line) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    if (line != number) out += text.substr(pos, end - pos);
    else if (!replacement.empty()) out += replacement + "\n";
    pos = end;
  }
  write_text(path, out);
}

// A 178x218 picture that differs per `seed`: smooth ramps, so JPEG keeps it close.
inline nn::Image face_image(int seed, int width = 178, int height = 218) {
  nn::Image image(width, height, 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      image.at(y, x, 0) = static_cast<std::uint8_t>((x + 7 * seed) % 256);
      image.at(y, x, 1) = static_cast<std::uint8_t>((y + 13 * seed) % 256);
      image.at(y, x, 2) = static_cast<std::uint8_t>((40 * seed + (x + y) / 4) % 256);
    }
  return image;
}

enum class Layout { text, csv };

// img_align_celeba/ with one JPEG per row, plus both list files.
inline void write_folder(const fs::path& dir, const std::vector<Row>& rows, Layout layout) {
  fs::create_directories(dir / "img_align_celeba");
  for (std::size_t i = 0; i < rows.size(); ++i)
    nn::write_jpeg((dir / "img_align_celeba" / rows[i].file).string(), face_image(static_cast<int>(i)), 95);
  if (layout == Layout::text) {
    write_text(dir / "list_attr_celeba.txt", attribute_txt(rows));
    write_text(dir / "list_eval_partition.txt", partition_txt(rows));
  } else {
    write_text(dir / "list_attr_celeba.csv", attribute_csv(rows));
    write_text(dir / "list_eval_partition.csv", partition_csv(rows));
  }
}

}  // namespace celeba_fixture
