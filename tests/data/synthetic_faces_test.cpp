#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <nn/error.hpp>
#include <nn/image.hpp>

#include "celeba_fixture.hpp"
#include "nn/data/celeba.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/data/synthetic_faces.hpp"

using namespace nn::data;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool attr(const std::array<bool, kCelebaAttributeCount>& row, const char* name) {
  return row[static_cast<std::size_t>(celeba_attribute_index(name))];
}

double luminance(const nn::Image& image, int x, int y) {
  return 0.299 * image.at(y, x, 0) + 0.587 * image.at(y, x, 1) + 0.114 * image.at(y, x, 2);
}

// Mean of value(x, y) over a square window around (cx, cy).
template <class F>
double window_mean(double cx, double cy, int radius, F&& value) {
  double sum = 0;
  int count = 0;
  for (int y = static_cast<int>(cy) - radius; y <= static_cast<int>(cy) + radius; ++y) {
    for (int x = static_cast<int>(cx) - radius; x <= static_cast<int>(cx) + radius; ++x) {
      sum += value(x, y);
      ++count;
    }
  }
  return sum / count;
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? NAN : sum / static_cast<double>(values.size());
}

}  // namespace

TEST_CASE("synthetic faces: the same seed writes identical files", "[synthetic_faces]") {
  celeba_fixture::TempDir a, b, c;
  write_synthetic_celeba(a.str(), 12, 7);
  write_synthetic_celeba(b.str(), 12, 7);
  write_synthetic_celeba(c.str(), 12, 8);
  const std::vector<std::string> files = {"list_attr_celeba.txt", "list_eval_partition.txt",
                                          "img_align_celeba/000001.jpg", "img_align_celeba/000012.jpg"};
  for (const std::string& file : files) {
    INFO(file);
    CHECK(file_bytes(a.path() / file) == file_bytes(b.path() / file));
  }
  CHECK(file_bytes(a.path() / "img_align_celeba/000005.jpg") != file_bytes(c.path() / "img_align_celeba/000005.jpg"));
  CHECK_FALSE(fs::exists(a.path() / "img_align_celeba/000013.jpg"));

  // Drawn in parallel, yet each file equals face i drawn alone, in reverse order.
  for (int i = 11; i >= 0; i -= 4) {
    const fs::path alone = c.path() / "alone.jpg";
    nn::write_jpeg(alone.string(), render_synthetic_face(7, i).image, 92);
    char name[32];
    std::snprintf(name, sizeof(name), "%06d.jpg", i + 1);
    CHECK(file_bytes(alone) == file_bytes(a.path() / "img_align_celeba" / name));
  }
}

TEST_CASE("synthetic faces: a face is a pure function of seed and index", "[synthetic_faces]") {
  const SyntheticFace first = render_synthetic_face(3, 41);
  render_synthetic_face(3, 40);
  render_synthetic_face(4, 41);
  const SyntheticFace again = render_synthetic_face(3, 41);
  CHECK(first.image.width == 178);
  CHECK(first.image.height == 218);
  CHECK(first.image.channels == 3);
  CHECK(first.image.pixels == again.image.pixels);
  CHECK(first.attributes == again.attributes);
  CHECK(first.attributes == synthetic_face_attributes(3, 41));
}

TEST_CASE("synthetic faces: the folder reads back as CelebA with the generator's labels", "[synthetic_faces]") {
  celeba_fixture::TempDir dir;
  write_synthetic_celeba(dir.str(), 20, 11);
  const std::string attributes = file_bytes(dir.path() / "list_attr_celeba.txt");
  CHECK(attributes.rfind(std::string("20\n") + celeba_fixture::kNamesLine + "\n", 0) == 0);

  const CelebaFolder all = read_celeba(dir.str());
  REQUIRE(all.samples.size() == 20);
  for (std::size_t i = 0; i < all.samples.size(); ++i) {
    const auto expected = synthetic_face_attributes(11, static_cast<std::int64_t>(i));
    for (std::size_t a = 0; a < kCelebaAttributeCount; ++a) CHECK(all.samples[i].labels[a] == (expected[a] ? 1 : 0));
  }
  CHECK(read_celeba(dir.str(), {CelebaSplit::train, 1.0}).samples.size() == 16);
  CHECK(read_celeba(dir.str(), {CelebaSplit::validation, 1.0}).samples.size() == 2);
  CHECK(read_celeba(dir.str(), {CelebaSplit::test, 1.0}).samples.size() == 2);

  const nn::Image decoded = read_celeba_image(all.samples[0].path);
  CHECK(decoded.width == 178);
  CHECK(decoded.height == 218);
}

TEST_CASE("synthetic faces: partitions split 80/10/10 in file order", "[synthetic_faces]") {
  int counts[3] = {0, 0, 0};
  int previous = 0;
  for (int i = 0; i < 1000; ++i) {
    const int p = synthetic_face_partition(i, 1000);
    CHECK(p >= previous);
    previous = p;
    ++counts[p];
  }
  CHECK(counts[0] == 800);
  CHECK(counts[1] == 100);
  CHECK(counts[2] == 100);
}

TEST_CASE("synthetic faces: labels respect the constraints between attributes", "[synthetic_faces]") {
  for (int i = 0; i < 3000; ++i) {
    const auto a = synthetic_face_attributes(5, i);
    INFO("face " << i);
    const int colours = attr(a, "Black_Hair") + attr(a, "Blond_Hair") + attr(a, "Brown_Hair") + attr(a, "Gray_Hair");
    CHECK(colours <= 1);
    CHECK_FALSE((attr(a, "Straight_Hair") && attr(a, "Wavy_Hair")));
    if (attr(a, "Bald")) {
      CHECK(colours == 0);
      CHECK_FALSE(attr(a, "Bangs"));
      CHECK_FALSE(attr(a, "Straight_Hair"));
      CHECK_FALSE(attr(a, "Wavy_Hair"));
    }
    if (!attr(a, "Male")) {
      CHECK(attr(a, "No_Beard"));
      CHECK_FALSE(attr(a, "Goatee"));
      CHECK_FALSE(attr(a, "Mustache"));
      CHECK_FALSE(attr(a, "Sideburns"));
      CHECK_FALSE(attr(a, "5_o_Clock_Shadow"));
      CHECK_FALSE(attr(a, "Wearing_Necktie"));
    }
    if (attr(a, "Goatee")) CHECK_FALSE(attr(a, "No_Beard"));
  }
}

TEST_CASE("synthetic faces: attribute frequencies are near CelebA's", "[synthetic_faces]") {
  // CelebA's published positive rates (202,599 images).
  const std::map<std::string, double> celeba = {
      {"5_o_Clock_Shadow", 0.111}, {"Arched_Eyebrows", 0.267}, {"Attractive", 0.513}, {"Bags_Under_Eyes", 0.205},
      {"Bald", 0.022},             {"Bangs", 0.152},           {"Big_Lips", 0.241},   {"Big_Nose", 0.235},
      {"Black_Hair", 0.239},       {"Blond_Hair", 0.148},      {"Blurry", 0.051},     {"Brown_Hair", 0.205},
      {"Bushy_Eyebrows", 0.142},   {"Chubby", 0.058},          {"Double_Chin", 0.047}, {"Eyeglasses", 0.065},
      {"Goatee", 0.063},           {"Gray_Hair", 0.042},       {"Heavy_Makeup", 0.387}, {"High_Cheekbones", 0.455},
      {"Male", 0.417},             {"Mouth_Slightly_Open", 0.483}, {"Mustache", 0.042}, {"Narrow_Eyes", 0.115},
      {"No_Beard", 0.835},         {"Oval_Face", 0.284},       {"Pale_Skin", 0.043},  {"Pointy_Nose", 0.277},
      {"Receding_Hairline", 0.080}, {"Rosy_Cheeks", 0.066},    {"Sideburns", 0.057},  {"Smiling", 0.482},
      {"Straight_Hair", 0.208},    {"Wavy_Hair", 0.320},       {"Wearing_Earrings", 0.189}, {"Wearing_Hat", 0.048},
      {"Wearing_Lipstick", 0.472}, {"Wearing_Necklace", 0.123}, {"Wearing_Necktie", 0.073}, {"Young", 0.774}};
  REQUIRE(celeba.size() == kCelebaAttributeCount);
  constexpr int n = 2000;
  std::map<std::string, int> positives;
  for (int i = 0; i < n; ++i) {
    const auto a = synthetic_face_attributes(0, i);
    for (const auto& [name, p] : celeba) positives[name] += attr(a, name.c_str());
  }
  for (const auto& [name, p] : celeba) {
    const double rate = static_cast<double>(positives[name]) / n;
    const double tolerance = 4.0 * std::sqrt(p * (1 - p) / n) + 0.01;
    INFO(name << ": " << rate << " vs CelebA " << p);
    CHECK(std::abs(rate - p) <= tolerance);
  }
}

TEST_CASE("synthetic faces: attributes are visible in the pixels", "[synthetic_faces]") {
  std::vector<double> blond, black, glasses_bridge, plain_bridge, lipstick, bare_lips;
  for (int i = 0; i < 400; ++i) {
    const SyntheticFace face = render_synthetic_face(1, i);
    const nn::Image& im = face.image;
    const SyntheticFaceLandmarks& m = face.landmarks;
    const auto& a = face.attributes;
    if (!attr(a, "Wearing_Hat") && !attr(a, "Blurry")) {
      const double crown = window_mean(m.crown_x, m.crown_y, 2, [&](int x, int y) { return luminance(im, x, y); });
      if (attr(a, "Blond_Hair")) blond.push_back(crown);
      if (attr(a, "Black_Hair")) black.push_back(crown);
    }
    if (!attr(a, "Blurry")) {
      // The darkest pixel at the top of the nose, between the eyes: a frame's bridge when wearing glasses.
      const double cx = (m.left_eye_x + m.right_eye_x) / 2, cy = (m.left_eye_y + m.right_eye_y) / 2;
      double darkest = 255;
      for (int y = static_cast<int>(cy) - 8; y <= static_cast<int>(cy) + 2; ++y) {
        for (int x = static_cast<int>(cx) - 2; x <= static_cast<int>(cx) + 2; ++x) darkest = std::min(darkest, luminance(im, x, y));
      }
      (attr(a, "Eyeglasses") ? glasses_bridge : plain_bridge).push_back(darkest);
    }
    if (!attr(a, "Male") && !attr(a, "Blurry")) {
      // Redness (R - G) of the reddest pixel on the lips, below the mouth's centre line.
      double reddest = -255;
      for (int y = static_cast<int>(m.mouth_y); y <= static_cast<int>(m.mouth_y) + 7; ++y) {
        for (int x = static_cast<int>(m.mouth_x) - 2; x <= static_cast<int>(m.mouth_x) + 2; ++x) {
          reddest = std::max(reddest, static_cast<double>(im.at(y, x, 0)) - im.at(y, x, 1));
        }
      }
      (attr(a, "Wearing_Lipstick") ? lipstick : bare_lips).push_back(reddest);
    }
  }
  REQUIRE(blond.size() >= 20);
  REQUIRE(black.size() >= 20);
  REQUIRE(glasses_bridge.size() >= 10);
  REQUIRE(lipstick.size() >= 40);
  REQUIRE(bare_lips.size() >= 20);
  INFO("crown luminance blond " << mean(blond) << ", black " << mean(black));
  CHECK(mean(blond) > mean(black) + 100);
  CHECK(*std::max_element(black.begin(), black.end()) < *std::min_element(blond.begin(), blond.end()));
  INFO("bridge luminance with glasses " << mean(glasses_bridge) << ", without " << mean(plain_bridge));
  CHECK(mean(glasses_bridge) + 60 < mean(plain_bridge));
  INFO("lip redness with lipstick " << mean(lipstick) << ", without " << mean(bare_lips));
  CHECK(mean(lipstick) > mean(bare_lips) + 50);
}

TEST_CASE("synthetic faces: ensure reuses a complete folder and redraws otherwise", "[synthetic_faces]") {
  celeba_fixture::TempDir dir;
  const std::string folder = (dir.path() / "faces").string();
  CHECK(ensure_synthetic_celeba(folder, 6, 2));
  const auto written = fs::last_write_time(fs::path(folder) / "img_align_celeba/000001.jpg");
  CHECK_FALSE(ensure_synthetic_celeba(folder, 6, 2));
  CHECK(fs::last_write_time(fs::path(folder) / "img_align_celeba/000001.jpg") == written);

  CHECK(ensure_synthetic_celeba(folder, 4, 2));  // another count
  CHECK_FALSE(fs::exists(fs::path(folder) / "img_align_celeba/000005.jpg"));
  CHECK(file_bytes(fs::path(folder) / "list_attr_celeba.txt").rfind("4\n", 0) == 0);
  CHECK(ensure_synthetic_celeba(folder, 4, 3));  // another seed
  CHECK_FALSE(ensure_synthetic_celeba(folder, 4, 3));

  fs::remove(fs::path(folder) / "img_align_celeba/000004.jpg");  // an interrupted or damaged folder
  CHECK(ensure_synthetic_celeba(folder, 4, 3));
  CHECK(fs::exists(fs::path(folder) / "img_align_celeba/000004.jpg"));
}

TEST_CASE("synthetic faces: a folder that is not ours is never overwritten", "[synthetic_faces]") {
  celeba_fixture::TempDir dir;
  std::ofstream(dir.path() / "list_attr_celeba.txt") << "real data\n";
  CHECK_THROWS_WITH(ensure_synthetic_celeba(dir.str(), 3, 0), Contains(dir.str()) && Contains("not empty"));
  CHECK(file_bytes(dir.path() / "list_attr_celeba.txt") == "real data\n");
  CHECK_THROWS_WITH(write_synthetic_celeba(dir.str(), 0, 0), Contains("count must be positive"));
  const fs::path file = dir.path() / "list_attr_celeba.txt";
  CHECK_THROWS_WITH(write_synthetic_celeba(file.string(), 2, 0), Contains("not a folder"));
}

TEST_CASE("synthetic faces: writing reports every face, one count at a time", "[synthetic_faces]") {
  celeba_fixture::TempDir dir;
  std::vector<std::int64_t> counts;
  std::int64_t last_total = 0;
  write_synthetic_celeba(dir.str(), 9, 4, [&](std::int64_t done, std::int64_t total) {
    counts.push_back(done);
    last_total = total;
  });
  CHECK(counts == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(last_total == 9);
}

TEST_CASE("synthetic faces: drawn with their own labels, they are the faces themselves", "[synthetic_faces]") {
  for (const std::int64_t i : {0, 7, 31, 123}) {
    const SyntheticFace own = render_synthetic_face(3, i);
    const SyntheticFace forced = render_synthetic_face(3, i, own.attributes);
    CHECK(forced.attributes == own.attributes);
    CHECK(forced.image.pixels == own.image.pixels);
  }
}

TEST_CASE("synthetic faces: labels asked for are drawn, even where the data never pairs them",
          "[synthetic_faces]") {
  std::vector<double> forced_lipstick, bare;
  int glasses_darker = 0, glasses_faces = 0;
  for (int i = 0; i < 200; ++i) {
    const SyntheticFace own = render_synthetic_face(1, i);
    if (attr(own.attributes, "Blurry")) continue;
    std::array<bool, kCelebaAttributeCount> request = own.attributes;
    request[static_cast<std::size_t>(celeba_attribute_index("Wearing_Lipstick"))] = true;
    const SyntheticFace with_lipstick = render_synthetic_face(1, i, request);
    CHECK(with_lipstick.attributes == request);
    const SyntheticFaceLandmarks& m = with_lipstick.landmarks;
    const auto redness = [&](const nn::Image& im) {
      double reddest = -255;
      for (int y = static_cast<int>(m.mouth_y); y <= static_cast<int>(m.mouth_y) + 7; ++y)
        for (int x = static_cast<int>(m.mouth_x) - 2; x <= static_cast<int>(m.mouth_x) + 2; ++x)
          reddest = std::max(reddest, static_cast<double>(im.at(y, x, 0)) - im.at(y, x, 1));
      return reddest;
    };
    // Men never wear lipstick in the data; asked for, they get it.
    if (attr(own.attributes, "Male")) {
      forced_lipstick.push_back(redness(with_lipstick.image));
      bare.push_back(redness(own.image));
    }
    if (!attr(own.attributes, "Eyeglasses")) {
      std::array<bool, kCelebaAttributeCount> glasses = own.attributes;
      glasses[static_cast<std::size_t>(celeba_attribute_index("Eyeglasses"))] = true;
      const SyntheticFace with_glasses = render_synthetic_face(1, i, glasses);
      const SyntheticFaceLandmarks& g = with_glasses.landmarks;
      const double cx = (g.left_eye_x + g.right_eye_x) / 2, cy = (g.left_eye_y + g.right_eye_y) / 2;
      const auto darkest = [&](const nn::Image& im) {
        double d = 255;
        for (int y = static_cast<int>(cy) - 8; y <= static_cast<int>(cy) + 2; ++y)
          for (int x = static_cast<int>(cx) - 2; x <= static_cast<int>(cx) + 2; ++x)
            d = std::min(d, luminance(im, x, y));
        return d;
      };
      ++glasses_faces;
      if (darkest(with_glasses.image) + 60 < darkest(own.image)) ++glasses_darker;
    }
  }
  REQUIRE(forced_lipstick.size() >= 40);
  INFO("lip redness of men with lipstick asked for " << mean(forced_lipstick) << ", as drawn " << mean(bare));
  CHECK(mean(forced_lipstick) > mean(bare) + 50);
  REQUIRE(glasses_faces >= 100);
  INFO(glasses_darker << " of " << glasses_faces << " faces show a frame's bridge once glasses are asked for");
  CHECK(glasses_darker >= glasses_faces * 9 / 10);
}
