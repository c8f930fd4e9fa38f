// Tensor creation, copies and transfers on every device and dtype.
#include <catch2/catch.hpp>

#include <cmath>

#include "support/device_types.hpp"

using namespace nn;
using Catch::Matchers::Contains;

TEMPLATE_TEST_CASE("creation functions fill the tensor", "[typed][tensor]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor z = zeros({2, 3}, opts);
  CHECK(z.device() == TestType::device());
  CHECK(z.dtype() == dtype_of<typename TestType::Scalar>());
  CHECK(z.to_vector<double>() == std::vector<double>(6, 0.0));
  CHECK(ones({4}, opts).to_vector<double>() == std::vector<double>(4, 1.0));
  CHECK(full({3}, -2.5, opts).to_vector<double>() == std::vector<double>(3, -2.5));
  CHECK(arange(5, opts).to_vector<double>() == std::vector<double>{0, 1, 2, 3, 4});
  CHECK(scalar(7.25, opts).item() == 7.25);
  CHECK(empty({0}, opts).to_vector<double>().empty());
  CHECK_THAT(ones({1}, opts).str(), Contains(TestType::device().str()));
}

TEMPLATE_TEST_CASE("values survive a round trip through the device", "[typed][tensor]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const std::vector<double> values{1.5, -2.25, 3, 0.0078125, -7, 0.125};
  const Tensor t = from_vector<double>(values, {3, 2}, opts);
  CHECK(t.device() == TestType::device());
  CHECK(t.to_vector<double>() == values);
  const Device device = TestType::device();
  CHECK(t.to(Device::cpu()).to(device).to_vector<double>() == values);
  // Every value is exact in f32, so conversions both ways keep them.
  const Tensor converted = t.to(t.dtype() == Dtype::f32 ? Dtype::f64 : Dtype::f32);
  CHECK(converted.device() == TestType::device());
  CHECK(converted.to_vector<double>() == values);
  CHECK(converted.to(t.dtype()).to_vector<double>() == values);
}

TEMPLATE_TEST_CASE("clones and copies own their storage", "[typed][tensor]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor t = from_vector<double>({1, 2, 3, 4}, {2, 2}, opts);
  const Tensor c = t.clone();
  CHECK(!c.shares_storage(t));
  copy_(c, from_vector<double>({5, 6, 7, 8}, {2, 2}));  // from the CPU, converting f32 -> dtype
  CHECK(c.to_vector<double>() == std::vector<double>{5, 6, 7, 8});
  CHECK(t.to_vector<double>() == std::vector<double>{1, 2, 3, 4});
  const Tensor host = zeros({2, 2}, TensorOptions().dtype(Dtype::f64));
  copy_(host, c);
  CHECK(host.to_vector<double>() == std::vector<double>{5, 6, 7, 8});
  copy_(t.slice_batch(1, 2), c.slice_batch(0, 1));
  CHECK(t.to_vector<double>() == std::vector<double>{1, 2, 5, 6});
}

TEMPLATE_TEST_CASE("transfers and slices carry gradients", "[typed][tensor]", NN_DEVICE_DTYPES) {
  const Tensor x = from_vector<double>({1, 2, 3, 4, 5, 6}, {3, 2}).set_requires_grad(true);
  const Tensor on_device = x.to(TestType::device()).to(dtype_of<typename TestType::Scalar>());
  const Tensor w = from_vector<double>({2, 3}, {1, 2}, TestType::options());
  sum(mul(on_device.slice_batch(1, 3), w)).backward();
  CHECK(x.grad().device() == Device::cpu());
  CHECK(x.grad().to_vector<double>() == std::vector<double>{0, 0, 2, 3, 2, 3});
}

TEMPLATE_TEST_CASE("random fills draw the CPU's values for the same seed", "[typed][tensor][random]",
                   NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const TensorOptions host = TensorOptions().dtype(opts.dtype());
  for (const bool gaussian : {false, true}) {
    INFO((gaussian ? "normal" : "uniform"));
    manual_seed(31);
    const Tensor a = gaussian ? normal({5001}, 1.5, 2, opts) : uniform({5001}, -3, 5, opts);
    manual_seed(31);
    const Tensor b = gaussian ? normal({5001}, 1.5, 2, host) : uniform({5001}, -3, 5, host);
    const std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
    double mean = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      INFO("element " << i);
      REQUIRE(std::abs(x[i] - y[i]) <= 4 * TestType::tolerance * (1 + std::abs(y[i])));
      mean += x[i] / static_cast<double>(x.size());
    }
    CHECK(std::abs(mean - (gaussian ? 1.5 : 1.0)) < 0.15);
  }
}

TEMPLATE_TEST_CASE("poisoned allocations read as NaN", "[typed][tensor]", NN_DEVICE_DTYPES) {
  set_poison_allocations(true);
  const Tensor t = empty({3}, TestType::options());
  set_poison_allocations(false);
  for (double v : t.to_vector<double>()) CHECK(std::isnan(v));
}
