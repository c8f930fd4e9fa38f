// CUDA concat and its backward (narrow) against the CPU backend: copies, so
// the results are bitwise equal.
#include <catch2/catch.hpp>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

struct ConcatCase {
  std::vector<Shape> shapes;
  std::int64_t dim;
};

}  // namespace

TEMPLATE_TEST_CASE("CUDA concat and its gradient equal the CPU's", "[cuda][parity][concat]", float, double) {
  manual_seed(81);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const std::vector<ConcatCase> cases = {
      {{{300, 64, 9, 9}, {1, 64, 9, 9}, {211, 64, 9, 9}}, 0},
      {{{64, 3, 31, 33}, {64, 17, 31, 33}, {64, 0, 31, 33}, {64, 1, 31, 33}}, 1},
      {{{128, 8, 40, 5}, {128, 8, 40, 1}, {128, 8, 40, 19}}, -1},
      {{{1000, 700}, {1000, 300}}, 1},
      {{{3}, {(1 << 24) + 5}}, 0}};
  for (const ConcatCase& c : cases) {
    INFO("dim " << c.dim << ", first input " << shape_str(c.shapes[0]));
    std::vector<Tensor> xs, gxs;
    for (const Shape& shape : c.shapes) {
      Tensor x = uniform(shape, -1, 1, opts);
      x.set_requires_grad(true);
      gxs.push_back(cuda_leaf(x));
      xs.push_back(x);
    }
    const Tensor y = concat(xs, c.dim), gy = concat(gxs, c.dim);
    check_parity(gy, y, 0, 0);
    const Tensor g = uniform(y.shape(), -1, 1, opts);
    y.backward(g);
    gy.backward(g.to(kCuda));
    for (std::size_t i = 0; i < xs.size(); ++i) {
      INFO("input " << i);
      check_parity(gxs[i].grad(), xs[i].grad(), 0, 0);
    }
  }
}
