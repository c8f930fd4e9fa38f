// make_synthetic_faces: writes a CelebA-layout folder of synthetic faces
// and/or a PNG sheet of the first few, for a look at what the apps train on.
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/progress.hpp"
#include "nn/data/preprocess.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "nn/error.hpp"
#include "nn/image.hpp"
#include "nn/tensor.hpp"

namespace {

struct Options {
  std::string out, sheet;
  std::int64_t count = 10000, sheet_count = 32;
  std::uint64_t seed = 0;
  bool sheet_crop = false;
};

// Nullopt when --help was printed.
std::optional<Options> parse(int argc, char** argv) {
  Options o;
  nn::apps::CommandLine cli("make_synthetic_faces",
                            "Writes a CelebA-layout folder of synthetic faces and/or a PNG sheet of the first few.");
  cli.option("--out", "DIR", "write CelebA's layout into DIR (empty, missing or written by this tool before)",
             [&o](const std::string& v) { o.out = v; });
  cli.bind("--count", o.count, "faces in the folder");
  cli.bind("--seed", o.seed, "generator seed; the same seed gives the same files");
  cli.option("--sheet", "FILE.png", "PNG grid of the first --sheet-count faces, 8 per row",
             [&o](const std::string& v) { o.sheet = v; });
  cli.bind("--sheet-count", o.sheet_count, "faces on the sheet");
  cli.bind("--sheet-crop", o.sheet_crop, "show the 64x64 face crop the models see instead of the full image");
  if (!cli.parse(argc, argv)) return std::nullopt;
  if (o.out.empty() && o.sheet.empty())
    throw nn::apps::UsageError("make_synthetic_faces: nothing to do: give --out and/or --sheet");
  if (o.count < 1 || o.sheet_count < 1)
    throw nn::apps::UsageError("make_synthetic_faces: --count and --sheet-count must be at least 1");
  return o;
}

void write_sheet(const Options& o) {
  std::vector<float> values;
  int width = 0, height = 0;
  for (std::int64_t i = 0; i < o.sheet_count; ++i) {
    nn::Image image = nn::data::render_synthetic_face(o.seed, i).image;
    if (o.sheet_crop) image = nn::data::preprocess(image, {}, "synthetic face " + std::to_string(i + 1));
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
  return nn::apps::exit_status_of([&] {
    const std::optional<Options> o = parse(argc, argv);
    if (!o) return 0;
    if (!o->out.empty()) {
      const auto start = std::chrono::steady_clock::now();
      nn::data::write_synthetic_celeba(
          o->out, o->count, o->seed,
          nn::apps::progress_bar_report("synthetic faces", nn::apps::ProgressOptions().unit("img").final_line(false)));
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cout << "make_synthetic_faces: wrote " << o->count << " faces (seed " << o->seed << ") to " << o->out
                << " in " << seconds << " s (" << o->count / seconds << " img/s)\n";
    }
    if (!o->sheet.empty()) write_sheet(*o);
    return 0;
  });
}
