#pragma once
// Pieces shared by the evaluators: their own random streams (the global
// random state is left alone), reading the held-out images, the judge's
// features in chunks.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/evaluation/attribute_judge.hpp"
#include "nn/evaluation/latent_distribution.hpp"
#include "nn/random.hpp"
#include "nn/random_stream.hpp"

namespace nn::evaluation::detail {

// Restores the global random state when it goes out of scope.
class RandomStateGuard {
 public:
  RandomStateGuard() : saved_(random_state()) {}
  ~RandomStateGuard() { set_random_state(saved_); }
  RandomStateGuard(const RandomStateGuard&) = delete;
  RandomStateGuard& operator=(const RandomStateGuard&) = delete;

 private:
  RandomState saved_;
};

// The stream `id` of an evaluation seeded with `seed`: separate draws take
// separate streams, so that changing one figure's sample count leaves the
// others' draws alone.
RandomStream stream_for(std::uint64_t seed, std::uint64_t id);

// `n` latent rows [n, latent] on `device`, drawn from `stream`.
Tensor draw_latent(std::int64_t n, std::int64_t latent, LatentDistribution distribution, RandomStream& stream,
                   Device device);

// A [rows, columns] tensor on `device` from row-major host values.
Tensor rows_tensor(const std::vector<float>& values, std::int64_t rows, std::int64_t columns, Device device);

// Calls `visit` with the first `count` images of a data set (in [-1, 1], on
// `device`) and their labels, `chunk` images at a time, in order.
void for_each_chunk(std::shared_ptr<const data::Dataset> held_out, std::int64_t count, std::int64_t chunk,
                    Device device, const std::function<void(const Tensor& images, const Tensor& labels)>& visit);

// The first `count` images of a data set (in [-1, 1], on `device`) and their
// labels (row-major), read `chunk` at a time.
struct HeldOutImages {
  Tensor images;
  std::vector<float> labels;
};
HeldOutImages read_held_out(std::shared_ptr<const data::Dataset> held_out, std::int64_t count, std::int64_t chunk,
                            Device device);

// The judge's features [N, 128] of images, `chunk` at a time, without
// autograd, on the host.
Tensor judge_features(AttributeJudge& judge, const Tensor& images, std::int64_t chunk);

// The Fréchet distance between the two halves of a feature set.
double frechet_floor(const Tensor& features);

}  // namespace nn::evaluation::detail
