// Trains one linear unit for a few steps through the installed libnn and
// checks the gradient of a known case; exits non-zero on any mismatch.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nn/nn.hpp>

int main() {
  const nn::TensorOptions f64 = nn::TensorOptions().dtype(nn::Dtype::f64);
  nn::Tensor w = nn::from_vector<double>({0.5, -0.25}, {1, 2}, f64);
  w.set_requires_grad(true);
  const nn::Tensor x = nn::from_vector<double>({1.0, 2.0, 3.0, 4.0}, {2, 2}, f64);
  // loss = sum(x w^T) so d loss / d w = column sums of x = [4, 6]
  nn::sum(nn::linear(x, w, nn::Tensor())).backward();
  const std::vector<double> g = w.grad().to_vector<double>();
  if (std::abs(g[0] - 4.0) > 1e-12 || std::abs(g[1] - 6.0) > 1e-12) {
    std::fprintf(stderr, "consumer: wrong gradient %g %g\n", g[0], g[1]);
    return 1;
  }
  if (std::strcmp(nn::version(), LIBNN_VERSION_STRING) != 0) {
    std::fprintf(stderr, "consumer: library %s but headers %s\n", nn::version(), LIBNN_VERSION_STRING);
    return 1;
  }
  std::printf("consumer: libnn linked and differentiated correctly\n");
  return 0;
}
