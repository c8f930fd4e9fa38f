// CUDA copies: host to device, device to host, between devices, and dtype
// conversion.
#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/context.hpp"
#include "fill_cuda.hpp"

namespace nn::cuda_backend {
namespace {

// dst = src, same dtype and size, on any pair of devices (one at least CUDA).
void copy_bytes(const Tensor& src, const Tensor& dst) {
  const std::size_t bytes = src.nbytes();
  const Device from = src.device(), to = dst.device();
  if (from.is_cpu()) {
    // From pageable host memory the call returns once the data is staged, so
    // the source may be freed right after.
    const DeviceScope scope(to.index);
    NN_CUDA_CHECK(cudaMemcpyAsync(dst.raw_data(), src.raw_data(), bytes, cudaMemcpyHostToDevice, scope.stream()));
  } else if (to.is_cpu()) {
    const DeviceScope scope(from.index);
    NN_CUDA_CHECK(cudaMemcpyAsync(dst.raw_data(), src.raw_data(), bytes, cudaMemcpyDeviceToHost, scope.stream()));
    NN_CUDA_CHECK(cudaStreamSynchronize(scope.stream()));
  } else if (from == to) {
    const DeviceScope scope(to.index);
    NN_CUDA_CHECK(
        cudaMemcpyAsync(dst.raw_data(), src.raw_data(), bytes, cudaMemcpyDeviceToDevice, scope.stream()));
  } else {
    // Across devices: wait for the source's producers, copy on the
    // destination's stream and wait again, since the source's memory returns
    // to a stream that knows nothing of this copy.
    NN_CUDA_CHECK(cudaStreamSynchronize(context(from.index).stream));
    const DeviceScope scope(to.index);
    NN_CUDA_CHECK(
        cudaMemcpyPeerAsync(dst.raw_data(), to.index, src.raw_data(), from.index, bytes, scope.stream()));
    NN_CUDA_CHECK(cudaStreamSynchronize(scope.stream()));
  }
}

// dst = src converted to dst's dtype, both on the same CUDA device.
void convert(const Tensor& src, const Tensor& dst) {
  const DeviceScope scope(dst.device().index);
  if (src.dtype() == Dtype::f32)
    kernels::convert_cuda(src.data<float>(), dst.data<double>(), src.numel(), scope.stream());
  else
    kernels::convert_cuda(src.data<double>(), dst.data<float>(), src.numel(), scope.stream());
}

}  // namespace

void copy(const Tensor& src, const Tensor& dst) {
  if (src.numel() == 0) return;
  if (src.dtype() == dst.dtype()) return copy_bytes(src, dst);
  if (src.device() == dst.device()) return convert(src, dst);
  // Convert on the CUDA side of the transfer.
  if (src.device().is_cuda()) {
    const Tensor converted = empty(src.shape(), src.options().dtype(dst.dtype()));
    convert(src, converted);
    copy_bytes(converted, dst);
  } else {
    const Tensor moved = empty(src.shape(), src.options().device(dst.device()));
    copy_bytes(src, moved);
    convert(moved, dst);
  }
}

}  // namespace nn::cuda_backend
