// Checks the gradient of one linear unit through the installed libnn and that
// its headers and library agree on the version, then batches a tiny dataset and draws
// a synthetic face through the installed libnn::data and measures a spread
// through libnn::evaluation; exits non-zero on any mismatch.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nn/data.hpp>
#include <nn/evaluation.hpp>
#include <nn/nn.hpp>

namespace {

// Sample i: every pixel is i, the one label is 10 i.
class Counting : public nn::data::Dataset {
 public:
  std::int64_t size() const override { return 3; }
  nn::Shape image_shape() const override { return {1, 2, 2}; }
  std::int64_t label_count() const override { return 1; }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override {
    for (int k = 0; k < 4; ++k) image[k] = static_cast<std::uint8_t>(i);
    labels[0] = 10.0f * static_cast<float>(i);
  }
};

bool gradient_ok() {
  const nn::TensorOptions f64 = nn::TensorOptions().dtype(nn::Dtype::f64);
  nn::Tensor w = nn::from_vector<double>({0.5, -0.25}, {1, 2}, f64);
  w.set_requires_grad(true);
  const nn::Tensor x = nn::from_vector<double>({1.0, 2.0, 3.0, 4.0}, {2, 2}, f64);
  // loss = sum(x w^T) so d loss / d w = column sums of x = [4, 6]
  nn::sum(nn::linear(x, w, nn::Tensor())).backward();
  const std::vector<double> g = w.grad().to_vector<double>();
  if (std::abs(g[0] - 4.0) > 1e-12 || std::abs(g[1] - 6.0) > 1e-12) {
    std::fprintf(stderr, "consumer: wrong gradient %g %g\n", g[0], g[1]);
    return false;
  }
  return true;
}

bool version_ok() {
  if (std::strcmp(nn::version(), LIBNN_VERSION_STRING) == 0) return true;
  std::fprintf(stderr, "consumer: library %s but headers %s\n", nn::version(), LIBNN_VERSION_STRING);
  return false;
}

bool data_ok() {
  nn::data::DataLoader loader(std::make_shared<Counting>(),
                              nn::data::DataLoaderOptions().batch_size(2).shuffle(false).range(0.0, 255.0));
  loader.start_epoch(0);
  loader.next();  // samples 0 and 1
  const std::optional<nn::data::Batch> last = loader.next();
  if (!last || last->images.shape() != nn::Shape{1, 1, 2, 2} || last->images.to_vector<float>()[3] != 2.0f ||
      last->labels.to_vector<float>()[0] != 20.0f || loader.next()) {
    std::fprintf(stderr, "consumer: the data loader's last batch is wrong\n");
    return false;
  }
  const nn::data::SyntheticFace face = nn::data::render_synthetic_face(1, 0);
  if (face.image.width != nn::data::kSyntheticFaceWidth || face.image.height != nn::data::kSyntheticFaceHeight) {
    std::fprintf(stderr, "consumer: synthetic face of %dx%d\n", face.image.width, face.image.height);
    return false;
  }
  return true;
}

bool evaluation_ok() {
  // The corners (0, 0), (3, 0), (0, 4): sides 3, 4 and 5.
  const nn::Tensor points = nn::from_vector<double>({0, 0, 3, 0, 0, 4}, {3, 2});
  const double spread = nn::evaluation::mean_pairwise_distance(points);
  if (std::abs(spread - 4.0) > 1e-6) {
    std::fprintf(stderr, "consumer: mean pairwise distance %g, not 4\n", spread);
    return false;
  }
  return true;
}

}  // namespace

int main() {
  if (!gradient_ok() || !version_ok() || !data_ok() || !evaluation_ok()) return 1;
  std::printf("consumer: libnn linked and differentiated correctly; libnn::data batched and drew a face; "
              "libnn::evaluation measured a spread\n");
  return 0;
}
