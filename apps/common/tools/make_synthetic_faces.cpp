// make_synthetic_faces: writes a CelebA-layout folder of synthetic faces
// and/or a PNG sheet of the first few, for a look at what the apps train on.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "common/preprocess.hpp"
#include "common/synthetic_faces.hpp"
#include "nn/error.hpp"
#include "nn/image.hpp"
#include "nn/tensor.hpp"

namespace {

constexpr const char* kUsage =
    "usage: make_synthetic_faces [--out DIR] [--count N] [--seed S]\n"
    "                            [--sheet FILE.png] [--sheet-count N] [--sheet-crop]\n"
    "  --out DIR        write DIR/img_align_celeba/000001.jpg ..., list_attr_celeba.txt and\n"
    "                   list_eval_partition.txt (CelebA's layout); DIR must be empty, missing\n"
    "                   or written by this tool before\n"
    "  --count N        faces in the folder (default 10000)\n"
    "  --seed S         generator seed (default 0); the same seed gives the same files\n"
    "  --sheet FILE     PNG grid of the first --sheet-count faces (default 32), 8 per row\n"
    "  --sheet-crop     show the 64x64 face crop the models see instead of the full image\n";

struct Options {
  std::string out, sheet;
  std::int64_t count = 10000, sheet_count = 32;
  std::uint64_t seed = 0;
  bool sheet_crop = false;
};

std::uint64_t parse_number(const std::string& flag, const std::string& text) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-') {
    throw nn::Error("make_synthetic_faces: " + flag + " needs a non-negative whole number, got '" + text + "'");
  }
  return value;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (arg == "--sheet-crop") {
      o.sheet_crop = true;
      continue;
    }
    if (i + 1 >= argc) throw nn::Error("make_synthetic_faces: unknown or incomplete argument '" + arg + "' (see --help)");
    const std::string value = argv[++i];
    if (arg == "--out") {
      o.out = value;
    } else if (arg == "--sheet") {
      o.sheet = value;
    } else if (arg == "--count") {
      o.count = static_cast<std::int64_t>(parse_number(arg, value));
    } else if (arg == "--sheet-count") {
      o.sheet_count = static_cast<std::int64_t>(parse_number(arg, value));
    } else if (arg == "--seed") {
      o.seed = parse_number(arg, value);
    } else {
      throw nn::Error("make_synthetic_faces: unknown argument '" + arg + "' (see --help)");
    }
  }
  if (o.out.empty() && o.sheet.empty()) throw nn::Error("make_synthetic_faces: nothing to do: give --out and/or --sheet");
  if (o.count < 1 || o.sheet_count < 1) throw nn::Error("make_synthetic_faces: --count and --sheet-count must be at least 1");
  return o;
}

void write_sheet(const Options& o) {
  std::vector<float> values;
  int width = 0, height = 0;
  for (std::int64_t i = 0; i < o.sheet_count; ++i) {
    nn::Image image = nn::apps::render_synthetic_face(o.seed, i).image;
    if (o.sheet_crop) image = nn::apps::preprocess(image, {}, "synthetic face " + std::to_string(i + 1));
    width = image.width, height = image.height;
    const std::vector<float> chw = nn::tensor_from_image(image, 0.0, 1.0).to_vector<float>();
    values.insert(values.end(), chw.begin(), chw.end());
  }
  const nn::Tensor batch = nn::from_vector(values, {o.sheet_count, 3, height, width});
  nn::write_png(o.sheet, nn::make_grid(batch, 8, 2, 0.0, 1.0));
  std::cout << "make_synthetic_faces: wrote a sheet of " << o.sheet_count << " faces to " << o.sheet << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    if (!o.out.empty()) {
      const auto start = std::chrono::steady_clock::now();
      nn::apps::write_synthetic_celeba(o.out, o.count, o.seed);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cout << "make_synthetic_faces: wrote " << o.count << " faces (seed " << o.seed << ") to " << o.out << " in "
                << seconds << " s (" << o.count / seconds << " img/s)\n";
    }
    if (!o.sheet.empty()) write_sheet(o);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
