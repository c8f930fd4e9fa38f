#include <catch2/catch.hpp>

#include <cmath>
#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

TEST_CASE("creation functions fill as asked", "[tensor]") {
  CHECK(zeros({2, 2}).to_vector<double>() == std::vector<double>(4, 0.0));
  CHECK(ones({3}, TensorOptions().dtype(Dtype::f64)).to_vector<double>() == std::vector<double>(3, 1.0));
  CHECK(full({2}, 2.5).to_vector<float>() == std::vector<float>{2.5f, 2.5f});
  CHECK(arange(4).to_vector<double>() == std::vector<double>{0, 1, 2, 3});
  CHECK(scalar(3.0).dim() == 0);
  CHECK(scalar(3.0).item() == 3.0);
  const Tensor t = from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3}, TensorOptions().dtype(Dtype::f64));
  CHECK(t.dtype() == Dtype::f64);
  CHECK(t.shape() == Shape{2, 3});
  CHECK(t.size(-1) == 3);
  CHECK_THROWS_WITH(from_vector<float>({1, 2}, {3}), Contains("from_vector") && Contains("[3]"));
}

TEST_CASE("random tensors repeat per seed and have the right moments", "[tensor][random]") {
  manual_seed(42);
  const Tensor u1 = uniform({10000}, -2, 3);
  const Tensor n1 = normal({10000}, 1.0, 2.0, TensorOptions().dtype(Dtype::f64));
  manual_seed(42);
  const Tensor u2 = uniform({10000}, -2, 3);
  CHECK(u1.to_vector<float>() == u2.to_vector<float>());
  const Tensor u3 = uniform({10000}, -2, 3);
  CHECK(u1.to_vector<float>() != u3.to_vector<float>());
  double lo = 1e9, hi = -1e9;
  for (float v : u1.to_vector<float>()) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
  CHECK(lo >= -2.0);
  CHECK(hi < 3.0);
  CHECK(mean(u1).item() == Approx(0.5).margin(0.05));
  const double m = mean(n1).item();
  const double var = mean(mul(n1 - m, n1 - m)).item();
  CHECK(m == Approx(1.0).margin(0.06));
  CHECK(std::sqrt(var) == Approx(2.0).margin(0.06));
}

TEST_CASE("tensor options read back what the chained setters set", "[tensor]") {
  const TensorOptions defaults;
  CHECK(defaults.dtype() == Dtype::f32);
  CHECK(defaults.device() == Device::cpu());
  CHECK(!defaults.requires_grad());
  const TensorOptions set = TensorOptions().dtype(Dtype::f64).device(Device::cuda(1)).requires_grad(true);
  CHECK(set.dtype() == Dtype::f64);
  CHECK(set.device() == Device::cuda(1));
  CHECK(set.requires_grad());
}

TEST_CASE("views share storage: reshape and batch slices", "[tensor]") {
  Tensor t = arange(12).reshape({3, 4});
  Tensor row = t.slice_batch(1, 3);
  CHECK(row.shape() == Shape{2, 4});
  CHECK(row.offset_bytes() == 16);
  CHECK(row.shares_storage(t));
  CHECK(t.reshape({-1}).shares_storage(t));
  CHECK(t.detach().shares_storage(t));
  CHECK(!t.clone().shares_storage(t));
  CHECK(row.to_vector<double>()[0] == 4.0);
  row.data<float>()[0] = -1;
  CHECK(t.to_vector<double>()[4] == -1.0);
  CHECK(t.reshape({-1}).shape() == Shape{12});
  CHECK(t.reshape({2, -1, 2}).shape() == Shape{2, 3, 2});
  CHECK_THROWS_WITH(t.slice_batch(2, 5), Contains("slice_batch") && Contains("[3, 4]"));
}

TEST_CASE("dtype conversion and device handling", "[tensor][device]") {
  const Tensor t = from_vector<double>({1.5, -2.25}, {2});
  const Tensor d = t.to(Dtype::f64);
  CHECK(d.dtype() == Dtype::f64);
  CHECK(d.to_vector<double>() == std::vector<double>{1.5, -2.25});
  CHECK(t.to(Device::cpu()).impl() == t.impl());
  CHECK(Device::parse("cuda:1") == Device::cuda(1));
  CHECK(Device::parse("cpu").is_cpu());
  CHECK_THROWS_WITH(Device::parse("gpu0"), Contains("gpu0"));
  CHECK_THROWS_WITH(Device::parse("cuda:x"), Contains("cuda:x"));
  if (!cuda_available()) {
    CHECK_THROWS_WITH(zeros({2}, TensorOptions().device(Device::cuda(0))), Contains("cuda:0"));
    CHECK_THROWS_WITH(t.to(Device::cuda(0)), Contains("Tensor::to") && Contains("cuda:0"));
  }
  CHECK_THROWS_WITH(t.data<double>(), Contains("f32"));
}

TEST_CASE("printing shows shape, dtype and values", "[tensor]") {
  const std::string s = from_vector<double>({1, 2, 3, 4}, {2, 2}).str();
  CHECK_THAT(s, Contains("[2, 2]") && Contains("f32") && Contains("cpu") && Contains("3 4"));
}
