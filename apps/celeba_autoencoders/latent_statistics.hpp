#pragma once
// New faces from an autoencoder, as the report makes them: encode the test
// faces, take each latent dimension's mean and standard deviation, draw new
// latents from the independent normal distributions they describe, decode.
// The deviation is the unbiased one over the whole set (the report averaged
// per-batch deviations, which for batches of 128 differs very little).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nn/nn.hpp>

#include "nn/data/dataset.hpp"

namespace autoencoders {

struct LatentStatistics {
  std::vector<double> mean, stddev;  // one per latent dimension

  std::int64_t size() const { return static_cast<std::int64_t>(mean.size()); }
  // mean + stddev * noise for noise [n, L] (drawn from N(0, 1) to sample),
  // on the noise's device.
  nn::Tensor latent_from_noise(const nn::Tensor& noise) const;
  // The checkpoint metadata entry "latent_statistics": {"mean": [...], "stddev": [...]}.
  std::string to_metadata() const;
  // Raises nn::Error naming `path` and the fault for anything but what
  // to_metadata writes.
  static LatentStatistics from_metadata(const std::string& text, const std::string& path);
};

// The statistics of `codes` (n rows of `dims` values, n >= 2).
LatentStatistics statistics_of_codes(const std::vector<double>& codes, std::int64_t dims);

// images [N, 3, S, S] in [0, 1] on the device -> latent codes [N, L].
using LatentEncoder = std::function<nn::Tensor(const nn::Tensor& images)>;
// Encodes every face of `faces` (at least 2), in batches without autograd.
LatentStatistics fit_latent_statistics(const LatentEncoder& encode, std::shared_ptr<const nn::data::Dataset> faces,
                                       nn::Device device);

}  // namespace autoencoders
