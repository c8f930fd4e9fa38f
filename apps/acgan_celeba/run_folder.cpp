#include "acgan_celeba/run_folder.hpp"

#include <vector>

#include "nn/data/celeba_attributes.hpp"

namespace acgan {

const std::vector<std::string>& run_file_patterns() {
  static const std::vector<std::string> patterns = {
      "config.json",           "losses.csv",          "metrics.csv",
      "losses.svg",            "metrics.svg",         "checkpoint_*.safetensors",
      "generator.safetensors", "reconstructions_epoch_*.png", "generated_epoch_*.png",
      "edited_epoch_*.png",    "eval.csv",            "eval.svg",
      "frechet.svg",           "eval.json"};
  return patterns;
}

RunLog::RunLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes)
    : losses_(dir, "losses.csv", {"d_loss_w", "d_loss_y", "g_loss_w", "g_loss_y", "ae_loss"},
              {{"losses.svg", "AE-AC-GAN losses per batch", "loss",
                {"d_loss_w", "d_loss_y", "g_loss_w", "g_loss_y", "ae_loss"}}},
              resume_step, notes),
      metrics_(dir, "metrics.csv", {"d_acc_w", "d_f1_y", "g_f1_y", "d_acc_w_gen"},
               {{"metrics.svg", "D accuracy on w (its batch, G's images), sample-averaged F1 on y", "score",
                 {"d_acc_w", "d_acc_w_gen", "d_f1_y", "g_f1_y"}}},
               resume_step, notes) {}

void RunLog::open() {
  losses_.open();
  metrics_.open();
}

void RunLog::append(std::int64_t step, int epoch, const StepMetrics& m) {
  losses_.append(step, epoch, {m.d_loss_w, m.d_loss_y, m.g_loss_w, m.g_loss_y, m.ae_loss});
  metrics_.append(step, epoch, {m.d_acc_w, m.d_f1_y, m.g_f1_y, m.d_acc_w_gen});
}

void RunLog::plot() const {
  losses_.plot();
  metrics_.plot();
}

void write_reconstruction_sheet(const std::string& path, Encoder& encoder, Generator& generator,
                                const nn::Tensor& images) {
  nn::NoGradGuard no_grad;
  const auto [y, z] = encoder.encode(images);
  const nn::Tensor reconstructed = generator.generate(y, z);
  // Rows alternate: 8 originals, then their 8 reconstructions.
  const std::int64_t n = images.size(0), columns = 8;
  std::vector<nn::Tensor> rows;
  for (std::int64_t start = 0; start < n; start += columns) {
    const std::int64_t end = std::min(n, start + columns);
    rows.push_back(images.slice_batch(start, end));
    rows.push_back(reconstructed.slice_batch(start, end));
  }
  nn::write_png(path, nn::make_grid(nn::concat(rows, 0).to(nn::Device::cpu()), static_cast<int>(columns), 2, -1, 1));
}

void write_attribute_sheet(const std::string& path, Generator& generator, const std::vector<float>& bases,
                           const nn::Tensor& z, const std::vector<std::string>& flips) {
  nn::NoGradGuard no_grad;
  const std::int64_t rows = z.size(0), columns = static_cast<std::int64_t>(flips.size()) + 1;
  std::vector<float> attributes;
  std::vector<nn::Tensor> z_rows;
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto row = bases.begin() + r * kAttributes;
    for (std::int64_t c = 0; c < columns; ++c) {
      std::vector<float> a(row, row + kAttributes);
      if (c > 0) {
        float& flipped = a[static_cast<std::size_t>(
            nn::data::celeba_attribute_index(flips[static_cast<std::size_t>(c - 1)]))];
        flipped = flipped > 0.5f ? 0.0f : 1.0f;
      }
      attributes.insert(attributes.end(), a.begin(), a.end());
      z_rows.push_back(z.slice_batch(r, r + 1));
    }
  }
  const nn::Tensor y = nn::from_vector(attributes, {rows * columns, kAttributes}).to(z.device());
  const nn::Tensor faces = generator.generate(y, nn::concat(z_rows, 0));
  nn::write_png(path, nn::make_grid(faces.to(nn::Device::cpu()), static_cast<int>(columns), 2, -1, 1));
}

void write_edit_sheet(const std::string& path, Encoder& encoder, Generator& generator, const nn::Tensor& images,
                      const std::vector<std::string>& flips) {
  nn::NoGradGuard no_grad;
  const auto [y, z] = encoder.encode(images);
  write_attribute_sheet(path, generator, y.to_vector<float>(), z, flips);
}

void write_generation_sheet(const std::string& path, Generator& generator,
                            const std::vector<std::vector<float>>& attribute_rows, const nn::Tensor& z) {
  nn::NoGradGuard no_grad;
  const std::int64_t columns = z.size(0), rows = static_cast<std::int64_t>(attribute_rows.size());
  std::vector<float> attributes;
  std::vector<nn::Tensor> z_columns;
  for (const std::vector<float>& row : attribute_rows)
    for (std::int64_t c = 0; c < columns; ++c) {
      attributes.insert(attributes.end(), row.begin(), row.end());
      z_columns.push_back(z.slice_batch(c, c + 1));
    }
  const nn::Tensor y = nn::from_vector(attributes, {rows * columns, kAttributes}).to(z.device());
  const nn::Tensor faces = generator.generate(y, nn::concat(z_columns, 0));
  nn::write_png(path, nn::make_grid(faces.to(nn::Device::cpu()), static_cast<int>(columns), 2, -1, 1));
}

}  // namespace acgan
