// CUDA softmax cross-entropy and argmax against the CPU backend: class ids and
// probabilities, smoothing, every reduction, forward and backward, with many
// rows (many blocks) and with a wide class dimension.
#include <catch2/catch.hpp>

#include <vector>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

// Class ids [rows] drawn uniformly from [0, classes).
Tensor random_class_ids(std::int64_t rows, std::int64_t classes, TensorOptions opts) {
  std::vector<double> ids = uniform({rows}, 0, static_cast<double>(classes), TensorOptions().dtype(Dtype::f64))
                                .to_vector<double>();
  for (double& id : ids) id = static_cast<double>(static_cast<std::int64_t>(id));
  return from_vector<double>(ids, {rows}, opts);
}

template <class T>
void check_cross_entropy(const Tensor& target, Reduction reduction, double smoothing, std::int64_t classes) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<T>());
  const std::int64_t rows = target.size(0);
  // Logits up to +-60 make the shift by the row maximum matter in f32.
  Tensor x = uniform({rows, classes}, -60, 60, opts);
  x.set_requires_grad(true);
  const Tensor gx = cuda_leaf(x);
  const Tensor out = cross_entropy(x, target, reduction, smoothing);
  const Tensor gout = cross_entropy(gx, target.to(kCuda), reduction, smoothing);
  // Sums accumulate in double on both devices, in different orders.
  const double sum_rtol = sizeof(T) == 4 ? 1e-5 : 1e-11;
  if (reduction == Reduction::none) check_close<T>(gout, out);
  else check_parity(gout, out, 0, sum_rtol);
  const Tensor grad_out = reduction == Reduction::none ? uniform({rows}, -1, 1, opts) : scalar(0.75, opts);
  out.backward(grad_out);
  gout.backward(grad_out.to(kCuda));
  check_close<T>(gx.grad(), x.grad());
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA cross_entropy matches the CPU on class ids and probabilities", "[cuda][parity][loss]",
                   float, double) {
  manual_seed(63);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  for (const auto& [rows, classes] : std::vector<std::pair<std::int64_t, std::int64_t>>{{70000, 10}, {300, 1000}}) {
    const Tensor raw = uniform({rows, classes}, 0.01, 1, opts);
    const Tensor targets[] = {random_class_ids(rows, classes, opts), raw / sum(raw, {1}, true)};
    for (const Tensor& target : targets)
      for (const double smoothing : {0.0, 0.1})
        for (Reduction r : {Reduction::mean, Reduction::sum, Reduction::none}) {
          INFO(rows << "x" << classes << ", target " << shape_str(target.shape()) << ", smoothing " << smoothing
                    << ", reduction " << static_cast<int>(r));
          check_cross_entropy<TestType>(target, r, smoothing, classes);
        }
  }
}

TEMPLATE_TEST_CASE("CUDA argmax matches the CPU", "[cuda][parity][loss]", float, double) {
  manual_seed(64);
  const Tensor x = uniform({5000, 37}, -1, 1, TensorOptions().dtype(dtype_of<TestType>()));
  check_parity(argmax(x.to(kCuda)), argmax(x), 0, 0);
}

TEST_CASE("CUDA cross_entropy rejects out-of-range class ids", "[cuda][loss]") {
  const Tensor x = zeros({2, 3}).to(kCuda);
  CHECK_THROWS_WITH(cross_entropy(x, from_vector<double>({0, 3}, {2}).to(kCuda)),
                    Catch::Matchers::Contains("cross_entropy") && Catch::Matchers::Contains("holds 3 at row 1"));
}
