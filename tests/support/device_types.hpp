#pragma once
// The {device} x {dtype} cases of the typed tests (caffe's
// TestDtypesAndDevices). Each file under tests/typed/ is compiled twice: into
// libnn_unit_tests with the CPU cases and into libnn_cuda_tests (defining
// LIBNN_TEST_CUDA) with the CUDA cases, so one test body checks both backends
// against the same hand-computed or naive reference values.
//
//   TEMPLATE_TEST_CASE("...", "[typed]", NN_DEVICE_DTYPES) {
//     const TensorOptions opts = TestType::options();
#include <nn/nn.hpp>

namespace nn::testing {

template <DeviceType kind, class T>
struct DeviceDtype {
  using Scalar = T;
  static Device device() { return {kind, 0}; }
  static TensorOptions options() { return TensorOptions().dtype(dtype_of<T>()).device(device()); }
  // Tolerance for results that may round differently from a double reference.
  static constexpr double tolerance = sizeof(T) == 4 ? 1e-5 : 1e-12;
};

using CpuF32 = DeviceDtype<DeviceType::cpu, float>;
using CpuF64 = DeviceDtype<DeviceType::cpu, double>;
using CudaF32 = DeviceDtype<DeviceType::cuda, float>;
using CudaF64 = DeviceDtype<DeviceType::cuda, double>;

}  // namespace nn::testing

#if defined(LIBNN_TEST_CUDA)
#define NN_DEVICE_DTYPES nn::testing::CudaF32, nn::testing::CudaF64
#else
#define NN_DEVICE_DTYPES nn::testing::CpuF32, nn::testing::CpuF64
#endif
