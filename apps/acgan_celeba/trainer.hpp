#pragma once
// One training step of the AE-AC-GAN, in the model's order:
//  1. D on a real batch (w target real_target, y the true attributes) and on
//     a fake batch (w target 0, y the attributes it was generated from), one
//     Adam step on the summed BCE losses (--d-batch separate); or on N rows
//     drawn from those 2N, one mean BCE each on w and y (--d-batch mixed);
//  2. G through the frozen D (w target g_target, y the requested attributes:
//     new ones, or with --g-fakes reuse the y' and z of D's fakes);
//  3. the autoencoder G(E(x)) on the real batch with MAE, updating E and G at
//     lr * ae_lr_factor with its own Adam.
// The first ae_warmup steps run the autoencoder sub-step alone (D's and G's
// figures are then NaN: not measured).
#include <memory>
#include <vector>

#include <nn/nn.hpp>

#include "acgan_celeba/config.hpp"
#include "acgan_celeba/models.hpp"

namespace acgan {

struct StepMetrics {
  double d_loss_w = 0, d_loss_y = 0, g_loss_w = 0, g_loss_y = 0, ae_loss = 0;
  double d_acc_w = 0, d_f1_y = 0, g_f1_y = 0;
  double d_acc_w_gen = 0;  // fraction of G's images in its sub-step that D judges fake
};

class Trainer {
 public:
  // `labels` holds the training set's attribute rows (N x 40, 0/1): fake
  // attribute vectors are drawn from it by default.
  Trainer(const Config& config, nn::Device device, std::vector<float> labels);

  // The three sub-steps in order, drawing the fakes' attributes and z.
  StepMetrics step(const nn::Tensor& images, const nn::Tensor& labels);
  // The sub-steps on their own, with every input given; a mixed D batch
  // draws its rows with draw_mixed_rows.
  void discriminator_step(const nn::Tensor& images, const nn::Tensor& labels, const nn::Tensor& fake_images,
                          const nn::Tensor& fake_y, StepMetrics& metrics);
  // G's update through the frozen D (and the frozen E when it reads G's
  // images back) on G's images of wanted_y and z: drawn here, or given as
  // `generated` with their graph.
  void generator_step(const nn::Tensor& wanted_y, const nn::Tensor& z, StepMetrics& metrics);
  void generator_step(const nn::Tensor& generated, const nn::Tensor& wanted_y, const nn::Tensor& z,
                      StepMetrics& metrics);
  void autoencoder_step(const nn::Tensor& images, const nn::Tensor& labels, StepMetrics& metrics);
  nn::CheckpointParts checkpoint_parts();
  // The generator the sheets, the evaluation and the exported generator use:
  // the running average of G's weights with --g-average, else G.
  Generator& sampling_generator() { return averaged_generator ? *averaged_generator : generator; }
  // Sets the running average to G's weights (with --g-average): at the
  // start, and after G's weights are loaded from another run.
  void restart_average();

  // Attribute vectors for fakes, as --fake-labels says (for code-flip: training rows).
  nn::Tensor sample_attributes(std::int64_t n);
  // (y', z) for n fakes: sample_attributes then sample_z, or for --fake-labels
  // code-flip one draw from the code bank: the codes and their faces' labels,
  // one attribute of each set on or off at random.
  std::pair<nn::Tensor, nn::Tensor> sample_fakes(std::int64_t n);
  nn::Tensor sample_z(std::int64_t n);
  // sample_z in two halves: the noise (U[0, 1) for --z uniform, N(0, 1)
  // otherwise) and the latent it stands for (the noise itself, or for
  // --z encoder the noise scaled to the running statistics of E's codes).
  nn::Tensor sample_noise(std::int64_t n);
  nn::Tensor latent_from_noise(const nn::Tensor& noise) const;
  nn::TensorOptions options() const { return options_; }

  std::unique_ptr<LatentSource> latent_source;  // with --z encoder or codes only
  Encoder encoder;
  Discriminator discriminator;
  Generator generator;
  nn::Adam d_optimizer, g_optimizer, ae_optimizer;
  std::unique_ptr<Generator> averaged_generator;  // with --g-average only

 private:
  void separate_discriminator_step(const nn::Tensor& images, const nn::Tensor& labels, const nn::Tensor& fake_images,
                                   const nn::Tensor& fake_y, StepMetrics& metrics);
  void mixed_discriminator_step(const nn::Tensor& images, const nn::Tensor& labels, const nn::Tensor& fake_images,
                                const nn::Tensor& fake_y, StepMetrics& metrics);
  void update_average();

  Config config_;
  nn::TensorOptions options_;
  std::vector<float> labels_;
};

// Sample-averaged F1 of thresholded predictions (> 0.5) against 0/1 targets;
// a sample with neither predicted nor true positives scores 0, as in
// sklearn's f1_score(average='samples').
double sample_f1(const nn::Tensor& predicted, const nn::Tensor& target);
// Fraction of real (> 0.5) and fake (<= 0.5) w outputs judged correctly.
double w_accuracy(const nn::Tensor& w_real, const nn::Tensor& w_fake);
// The rows of the real batch followed by the fake batch (0..2n-1) that D's
// mixed batch keeps: the first n of a random permutation, drawn from the
// global generator.
std::vector<std::int64_t> draw_mixed_rows(std::int64_t n);

}  // namespace acgan
