#include "dcgan/run_folder.hpp"

#include <cmath>

#include "common/plot.hpp"
#include "nn/image.hpp"

namespace dcgan {
namespace {

const std::vector<std::string> kLossColumns = {"step", "epoch", "d_loss", "g_loss"};
const std::vector<std::string> kMetricColumns = {"step", "epoch", "d_real", "d_fake", "d_fake_after"};

}  // namespace

const std::vector<std::string>& run_file_patterns() {
  static const std::vector<std::string> patterns = {
      "config.json", "losses.csv", "metrics.csv",       "losses.svg",       "metrics.svg",
      "eval.csv",    "eval.svg",   "eval.json",         "samples_epoch_*.png", "checkpoint_*.safetensors",
      "generator.safetensors"};
  return patterns;
}

RunLog::RunLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes)
    : dir_(dir),
      losses_(dir + "/losses.csv", kLossColumns, resume_step, notes),
      metrics_(dir + "/metrics.csv", kMetricColumns, resume_step, notes) {}

void RunLog::open() {
  losses_.open();
  metrics_.open();
}

void RunLog::append(std::int64_t step, int epoch, const StepMetrics& m) {
  const double s = static_cast<double>(step), e = epoch;
  losses_.append({s, e, m.d_loss, m.g_loss});
  metrics_.append({s, e, m.d_real, m.d_fake, m.d_fake_after});
}

void RunLog::plot() const {
  using nn::apps::LinePlotOptions;
  nn::apps::plot_csv(dir_ + "/losses.csv", dir_ + "/losses.svg",
                     LinePlotOptions()
                         .title("DCGAN losses per batch")
                         .x_column("step")
                         .x_label("step")
                         .y_label("BCE")
                         .y_columns({"d_loss", "g_loss"}));
  nn::apps::plot_csv(dir_ + "/metrics.csv", dir_ + "/metrics.svg",
                     LinePlotOptions()
                         .title("D's mean output: on real images, on fakes before and after its update")
                         .x_column("step")
                         .x_label("step")
                         .y_label("D(x)")
                         .y_columns({"d_real", "d_fake", "d_fake_after"}));
}

void write_sample_sheet(const std::string& path, Generator& generator, const nn::Tensor& z) {
  const bool was_training = generator.is_training();
  generator.eval();
  nn::Tensor images;
  {
    nn::NoGradGuard no_grad;
    images = generator.generate(z);
  }
  generator.train(was_training);
  const int columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(z.size(0)))));
  nn::write_png(path, nn::make_grid(images.to(nn::Device::cpu()), columns, 2, -1, 1));
}

}  // namespace dcgan
