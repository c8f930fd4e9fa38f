#include "common/synthetic_renderer.hpp"

#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common/face_data.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "nn/image.hpp"

namespace nn::apps {
namespace {

// Face numbers [2^23, 2^24): past every synthetic data set, and exact in f32.
constexpr double kFirstFace = 8388608.0, kFaceRange = 8388608.0;

Tensor render_requests(const Tensor& y, const Tensor& z, const data::PreprocessOptions& preprocess) {
  const std::int64_t n = y.size(0);
  const std::vector<float> requests = y.to_vector<float>(), faces = z.to_vector<float>();
  std::vector<Image> images(static_cast<std::size_t>(n));
#pragma omp parallel for schedule(dynamic)
  for (std::int64_t i = 0; i < n; ++i) {
    std::array<bool, data::kCelebaAttributeCount> row{};
    for (std::size_t a = 0; a < row.size(); ++a)
      row[a] = requests[static_cast<std::size_t>(i) * row.size() + a] > 0.5f;
    const auto face = static_cast<std::int64_t>(faces[static_cast<std::size_t>(i)]);
    images[static_cast<std::size_t>(i)] = data::preprocess(
        data::render_synthetic_face(kSyntheticFacesSeed, face, row).image, preprocess,
        "synthetic face " + std::to_string(face));
  }
  std::vector<Tensor> chw;
  for (const Image& image : images)
    chw.push_back(tensor_from_image(image, -1, 1).reshape({1, image.channels, image.height, image.width}));
  return concat(chw, 0).to(y.device());
}

}  // namespace

evaluation::ConditionalGenerator synthetic_renderer(const data::PreprocessOptions& preprocess,
                                                    evaluation::AttributeSampler attributes, Device device) {
  evaluation::ConditionalGenerator g;
  g.generate = [preprocess](const Tensor& y, const Tensor& z) { return render_requests(y, z, preprocess); };
  g.latent = 1;
  g.z = evaluation::LatentDistribution::uniform;
  g.attributes = std::move(attributes);
  g.latent_from_noise = [device](const Tensor& noise) {
    std::vector<float> faces = noise.to_vector<float>();
    for (float& f : faces) f = static_cast<float>(kFirstFace + std::floor(static_cast<double>(f) * kFaceRange));
    return from_vector(faces, noise.shape()).to(device);
  };
  return g;
}

}  // namespace nn::apps
