#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "celeba_fixture.hpp"
#include "nn/data/celeba.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/error.hpp"

using namespace nn::data;
using namespace celeba_fixture;
using Catch::Matchers::Contains;

namespace {

// The message of the nn::Error that `action` throws, checked to be one line.
template <class Action>
std::string error_of(Action&& action) {
  try {
    action();
  } catch (const nn::Error& e) {
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  FAIL("expected an nn::Error");
  return {};
}

std::string row_line(const Row& row) {
  std::string line = row.file;
  for (int v : row.values) line += " " + std::to_string(v);
  return line;
}

std::vector<std::string> file_names(const CelebaFolder& folder) {
  std::vector<std::string> names;
  for (const CelebaSample& s : folder.samples) names.push_back(fs::path(s.path).filename().string());
  return names;
}

}  // namespace

TEST_CASE("CelebA attribute names are in CelebA's order", "[celeba]") {
  const auto& names = celeba_attribute_names();
  REQUIRE(names.size() == 40);
  CHECK(names[0] == "5_o_Clock_Shadow");
  CHECK(names[20] == "Male");
  CHECK(names[31] == "Smiling");
  CHECK(names[39] == "Young");
  CHECK(celeba_attribute_index("Eyeglasses") == 15);
  CHECK(celeba_attribute_index("Wearing_Hat") == 35);
  const std::string message = error_of([] { celeba_attribute_index("Smilling"); });
  CHECK_THAT(message, Contains("Smilling") && Contains("Smiling"));
  CHECK_THAT(error_of([] { celeba_attribute_index("blond_hair"); }), Contains("Blond_Hair"));
}

TEST_CASE("CelebA splits parse by name", "[celeba]") {
  CHECK(parse_celeba_split("train") == CelebaSplit::train);
  CHECK(parse_celeba_split("val") == CelebaSplit::validation);
  CHECK(parse_celeba_split("validation") == CelebaSplit::validation);
  CHECK(parse_celeba_split("test") == CelebaSplit::test);
  CHECK(parse_celeba_split("all") == CelebaSplit::all);
  CHECK_THAT(error_of([] { parse_celeba_split("dev"); }), Contains("'dev'"));
}

TEST_CASE("a three-image CelebA folder parses in the text and CSV layouts", "[celeba]") {
  const Layout layout = GENERATE(Layout::text, Layout::csv);
  TempDir dir;
  const std::vector<Row> rows = make_rows(3);
  write_folder(dir.path(), rows, layout);
  const CelebaFolder folder = read_celeba(dir.str());
  CHECK(folder.attribute_file ==
        (dir.path() / (layout == Layout::text ? "list_attr_celeba.txt" : "list_attr_celeba.csv")).string());
  REQUIRE(folder.samples.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(folder.samples[i].path == (dir.path() / "img_align_celeba" / rows[i].file).string());
    for (int a = 0; a < 40; ++a) CHECK(folder.samples[i].labels[a] == (rows[i].values[a] == 1 ? 1 : 0));
  }
  // By hand: image 1 has attributes 0, 3, ..., 39; image 2 has 2, 5, ..., 38 (Male is 20).
  CHECK(folder.samples[0].labels[0] == 1);
  CHECK(folder.samples[0].labels[1] == 0);
  CHECK(folder.samples[0].labels[39] == 1);
  CHECK(folder.samples[1].labels[20] == 1);
  CHECK(folder.samples[1].labels[39] == 0);
  CHECK(folder.samples[2].labels[1] == 1);
}

TEST_CASE("CelebA attribute columns are matched by name", "[celeba]") {
  TempDir dir;
  const std::vector<Row> rows = make_rows(3);
  write_folder(dir.path(), rows, Layout::text);
  std::string names = kNamesLine;
  names.replace(names.find("Male"), 4, "TMP_");
  names.replace(names.find("Young"), 5, "Male");
  names.replace(names.find("TMP_"), 4, "Young");
  replace_line(dir.path() / "list_attr_celeba.txt", 2, names);
  const CelebaFolder folder = read_celeba(dir.str());
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(folder.samples[i].labels[20] == (rows[i].values[39] == 1 ? 1 : 0));
    CHECK(folder.samples[i].labels[39] == (rows[i].values[20] == 1 ? 1 : 0));
  }
}

TEST_CASE("CelebA splits and fractions select the first images of a partition", "[celeba]") {
  TempDir dir;
  write_folder(dir.path(), make_rows(10), Layout::text);  // partitions 0 0 1 2 0 0 1 2 0 0
  using Names = std::vector<std::string>;
  CHECK(file_names(read_celeba(dir.str(), {CelebaSplit::train, 1.0})) ==
        Names{"000001.jpg", "000002.jpg", "000005.jpg", "000006.jpg", "000009.jpg", "000010.jpg"});
  CHECK(file_names(read_celeba(dir.str(), {CelebaSplit::train, 0.5})) ==
        Names{"000001.jpg", "000002.jpg", "000005.jpg"});
  CHECK(file_names(read_celeba(dir.str(), {CelebaSplit::train, 0.01})) == Names{"000001.jpg"});
  CHECK(file_names(read_celeba(dir.str(), {CelebaSplit::validation, 1.0})) == Names{"000003.jpg", "000007.jpg"});
  CHECK(file_names(read_celeba(dir.str(), {CelebaSplit::test, 1.0})) == Names{"000004.jpg", "000008.jpg"});
  CHECK(read_celeba(dir.str(), {CelebaSplit::all, 0.3}).samples.size() == 3);
  CHECK_THAT(error_of([&] { read_celeba(dir.str(), {CelebaSplit::train, 0.0}); }), Contains("fraction"));
  CHECK_THAT(error_of([&] { read_celeba(dir.str(), {CelebaSplit::train, 1.5}); }), Contains("fraction"));
}

TEST_CASE("CelebA images may sit in a nested img_align_celeba folder", "[celeba]") {
  TempDir dir;
  const std::vector<Row> rows = make_rows(2);
  write_folder(dir.path(), rows, Layout::text);
  const fs::path nested = dir.path() / "img_align_celeba" / "img_align_celeba";
  fs::create_directories(nested);
  for (const Row& row : rows) fs::rename(dir.path() / "img_align_celeba" / row.file, nested / row.file);
  const CelebaFolder folder = read_celeba(dir.str());
  REQUIRE(folder.samples.size() == 2);
  CHECK(folder.samples[1].path == (nested / "000002.jpg").string());
}

TEST_CASE("broken CelebA folders raise one-line errors naming the file", "[celeba]") {
  TempDir dir;
  const std::vector<Row> rows = make_rows(5);
  const fs::path attr = dir.path() / "list_attr_celeba.txt";
  const fs::path part = dir.path() / "list_eval_partition.txt";
  const auto read = [&] { read_celeba(dir.str(), {CelebaSplit::all, 1.0}); };

  SECTION("missing folder") {
    CHECK_THAT(error_of([&] { read_celeba((dir.path() / "nope").string()); }),
               Contains("nope") && Contains("no such folder"));
  }
  SECTION("empty folder") { CHECK_THAT(error_of(read), Contains(dir.str()) && Contains("empty")); }
  SECTION("no img_align_celeba") {
    write_text(attr, attribute_txt(rows));
    CHECK_THAT(error_of(read), Contains(dir.str()) && Contains("no img_align_celeba"));
  }
  write_folder(dir.path(), rows, Layout::text);
  SECTION("missing attribute file") {
    fs::remove(attr);
    CHECK_THAT(error_of(read), Contains(dir.str()) && Contains("no list_attr_celeba.txt"));
  }
  SECTION("count line disagrees with the rows") {
    replace_line(attr, 1, "6");
    CHECK_THAT(error_of(read), Contains(attr.string() + ":1:") && Contains("6 images") && Contains("lists 5"));
  }
  SECTION("count line is not a number") {
    replace_line(attr, 1, "five");
    CHECK_THAT(error_of(read), Contains(attr.string() + ":1:") && Contains("'five'"));
  }
  SECTION("names line with a missing name") {
    std::string names = kNamesLine;
    names.erase(names.find(" Young"));
    replace_line(attr, 2, names);
    CHECK_THAT(error_of(read), Contains(attr.string() + ":2:") && Contains("found 39"));
  }
  SECTION("names line with an unknown name") {
    std::string names = kNamesLine;
    names.replace(names.find("Eyeglasses"), 10, "Eyeglases");
    replace_line(attr, 2, names);
    CHECK_THAT(error_of(read), Contains(attr.string() + ":2:") && Contains("'Eyeglases'") && Contains("Eyeglasses"));
  }
  SECTION("short line") {
    Row row = rows[2];
    std::string line = row_line(row);
    line.erase(line.rfind(' '));
    replace_line(attr, 5, line);
    CHECK_THAT(error_of(read), Contains(attr.string() + ":5:") && Contains("short line") && Contains("found 39"));
  }
  SECTION("value other than -1 and 1") {
    Row row = rows[1];
    row.values[4] = 0;
    replace_line(attr, 4, row_line(row));
    CHECK_THAT(error_of(read), Contains(attr.string() + ":4:") && Contains("Bald") && Contains("not -1 or 1"));
  }
  SECTION("non-numeric value") {
    std::string line = row_line(rows[1]);
    line.replace(line.rfind(' ') + 1, std::string::npos, "x");
    replace_line(attr, 4, line);
    CHECK_THAT(error_of(read), Contains(attr.string() + ":4:") && Contains("'x'") && Contains("Young") &&
                                   Contains("not a number"));
  }
  SECTION("file listed twice") {
    replace_line(attr, 5, row_line(rows[0]));
    CHECK_THAT(error_of(read), Contains(attr.string() + ":5:") && Contains("000001.jpg is listed twice"));
  }
  SECTION("file listed but missing on disk") {
    fs::remove(dir.path() / "img_align_celeba" / "000004.jpg");
    CHECK_THAT(error_of(read), Contains(attr.string() + ":6:") && Contains("000004.jpg") &&
                                   Contains("does not exist"));
  }
  SECTION("partition file lists an unknown file") {
    write_text(part, read_text(part) + "000099.jpg 0\n");
    CHECK_THAT(error_of(read), Contains(part.string() + ":6:") && Contains("000099.jpg"));
  }
  SECTION("partition value other than 0, 1 and 2") {
    replace_line(part, 2, "000002.jpg 3");
    CHECK_THAT(error_of(read), Contains(part.string() + ":2:") && Contains("'3'") && Contains("0, 1 or 2"));
  }
  SECTION("partition file misses an image of the attribute file") {
    replace_line(part, 3, "");
    CHECK_THAT(error_of(read), Contains(part.string()) && Contains("000003.jpg") && Contains("line 5"));
  }
  SECTION("no partition file for a split") {
    fs::remove(part);
    CHECK(read_celeba(dir.str()).samples.size() == 5);
    CHECK_THAT(error_of([&] { read_celeba(dir.str(), {CelebaSplit::train, 1.0}); }),
               Contains("list_eval_partition") && Contains("train"));
  }
}

TEST_CASE("broken CelebA CSV files name the file and line", "[celeba]") {
  TempDir dir;
  const std::vector<Row> rows = make_rows(4);
  write_folder(dir.path(), rows, Layout::csv);
  const fs::path attr = dir.path() / "list_attr_celeba.csv";
  const fs::path part = dir.path() / "list_eval_partition.csv";
  const auto read = [&] { read_celeba(dir.str()); };
  SECTION("short line") {
    std::string line = rows[1].file + values_text(rows[1], ",");
    line.erase(line.rfind(','));
    replace_line(attr, 3, line);
    CHECK_THAT(error_of(read), Contains(attr.string() + ":3:") && Contains("short line"));
  }
  SECTION("value other than -1 and 1") {
    Row row = rows[2];
    row.values[0] = 2;
    replace_line(attr, 4, row.file + values_text(row, ","));
    CHECK_THAT(error_of(read), Contains(attr.string() + ":4:") && Contains("5_o_Clock_Shadow"));
  }
  SECTION("partition value") {
    replace_line(part, 3, "000002.jpg,train");
    CHECK_THAT(error_of(read), Contains(part.string() + ":3:") && Contains("'train'"));
  }
}

TEST_CASE("CelebA images must be complete JPEG files", "[celeba]") {
  TempDir dir;
  const fs::path path = dir.path() / "000001.jpg";
  SECTION("a good JPEG decodes to 3 channels") {
    nn::write_jpeg(path.string(), face_image(1), 95);
    const nn::Image image = read_celeba_image(path.string());
    CHECK(image.width == 178);
    CHECK(image.height == 218);
    CHECK(image.channels == 3);
  }
  SECTION("text under a .jpg name") {
    write_text(path, "this is not an image\n");
    CHECK_THAT(error_of([&] { read_celeba_image(path.string()); }),
               Contains(path.string()) && Contains("not a JPEG"));
  }
  SECTION("a PNG under a .jpg name") {
    nn::write_png(path.string(), face_image(1));
    CHECK_THAT(error_of([&] { read_celeba_image(path.string()); }),
               Contains(path.string()) && Contains("not a JPEG"));
  }
  SECTION("a truncated JPEG") {
    nn::write_jpeg(path.string(), face_image(2), 95);
    const std::string bytes = read_text(path);
    write_text(path, bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(error_of([&] { read_celeba_image(path.string()); }),
               Contains(path.string()) && Contains("truncated"));
  }
  SECTION("a missing file") {
    CHECK_THAT(error_of([&] { read_celeba_image(path.string()); }), Contains(path.string()));
  }
}
