#include "dcgan/run_folder.hpp"

#include <cmath>

#include "nn/image.hpp"

namespace dcgan {

const std::vector<std::string>& run_file_patterns() {
  static const std::vector<std::string> patterns = {"config.json",
                                                    "losses.csv",
                                                    "metrics.csv",
                                                    "losses.svg",
                                                    "metrics.svg",
                                                    "eval.csv",
                                                    "eval.svg",
                                                    "eval.json",
                                                    "samples_epoch_*.png",
                                                    "checkpoint_*.safetensors",
                                                    "generator.safetensors"};
  return patterns;
}

RunLog::RunLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes)
    : losses_(dir, "losses.csv", {"d_loss", "g_loss"},
              {{"losses.svg", "DCGAN losses per batch", "BCE", {"d_loss", "g_loss"}}}, resume_step, notes),
      metrics_(dir, "metrics.csv", {"d_real", "d_fake", "d_fake_after"},
               {{"metrics.svg",
                 "D's mean output: on real images, on fakes before and after its update",
                 "D(x)",
                 {"d_real", "d_fake", "d_fake_after"}}},
               resume_step, notes) {}

void RunLog::open() {
  losses_.open();
  metrics_.open();
}

void RunLog::append(std::int64_t step, int epoch, const StepMetrics& m) {
  losses_.append(step, epoch, {m.d_loss, m.g_loss});
  metrics_.append(step, epoch, {m.d_real, m.d_fake, m.d_fake_after});
}

void RunLog::plot() const {
  losses_.plot();
  metrics_.plot();
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
