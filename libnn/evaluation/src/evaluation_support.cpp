#include "evaluation_support.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "nn/data/data_loader.hpp"
#include "nn/evaluation/feature_metrics.hpp"

namespace nn::evaluation::detail {
namespace {

double normal_draw(RandomStream& stream) {
  // Box-Muller on (0, 1] x [0, 1).
  const double u = 1.0 - stream.next_double(), v = stream.next_double();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

double latent_draw(LatentDistribution distribution, RandomStream& stream) {
  switch (distribution) {
    case LatentDistribution::normal:
      return normal_draw(stream);
    case LatentDistribution::uniform_pm1:
      return 2 * stream.next_double() - 1;
    case LatentDistribution::uniform:
      break;
  }
  return stream.next_double();
}

}  // namespace

RandomStream stream_for(std::uint64_t seed, std::uint64_t id) {
  return RandomStream(seed * 0x9e3779b97f4a7c15ULL + id);
}

Tensor draw_latent(std::int64_t n, std::int64_t latent, LatentDistribution distribution, RandomStream& stream,
                   Device device) {
  std::vector<float> z(static_cast<std::size_t>(n * latent));
  for (float& v : z) v = static_cast<float>(latent_draw(distribution, stream));
  return rows_tensor(z, n, latent, device);
}

Tensor rows_tensor(const std::vector<float>& values, std::int64_t rows, std::int64_t columns, Device device) {
  return from_vector(values, {rows, columns}).to(device);
}

void for_each_chunk(std::shared_ptr<const data::Dataset> held_out, std::int64_t count, std::int64_t chunk,
                    Device device, const std::function<void(const Tensor& images, const Tensor& labels)>& visit) {
  data::DataLoader loader(
      std::move(held_out),
      data::DataLoaderOptions().batch_size(chunk).shuffle(false).tensor_options(TensorOptions().device(device)));
  loader.start_epoch(0);
  for (std::int64_t taken = 0; taken < count;) {
    std::optional<data::Batch> batch = loader.next();
    const std::int64_t n = std::min(batch->images.size(0), count - taken);
    visit(batch->images.slice_batch(0, n), batch->labels.slice_batch(0, n));
    taken += n;
  }
}

HeldOutImages read_held_out(std::shared_ptr<const data::Dataset> held_out, std::int64_t count, std::int64_t chunk,
                            Device device) {
  std::vector<Tensor> images;
  HeldOutImages out;
  for_each_chunk(std::move(held_out), count, chunk, device, [&](const Tensor& batch, const Tensor& labels) {
    images.push_back(batch);
    const std::vector<float> values = labels.to_vector<float>();
    out.labels.insert(out.labels.end(), values.begin(), values.end());
  });
  out.images = concat(images, 0);
  return out;
}

Tensor judge_features(AttributeJudge& judge, const Tensor& images, std::int64_t chunk) {
  NoGradGuard no_grad;
  std::vector<Tensor> parts;
  for (std::int64_t begin = 0; begin < images.size(0); begin += chunk)
    parts.push_back(
        judge.features(images.slice_batch(begin, std::min(images.size(0), begin + chunk))).to(Device::cpu()));
  return concat(parts, 0);
}

double frechet_floor(const Tensor& features) {
  const std::int64_t half = features.size(0) / 2;
  return frechet_distance(features.slice_batch(0, half), features.slice_batch(half, 2 * half));
}

}  // namespace nn::evaluation::detail
