#include "ops/checks.hpp"

#include "cuda/backend.hpp"

namespace nn::detail {

void fail(const char* op, const std::string& message) { throw Error(std::string(op) + ": " + message); }

void no_cuda_backend(const char* op, Device device) {
  if constexpr (cuda_backend::compiled)
    fail(op, "has no CUDA implementation; move the tensors on " + device.str() + " to the CPU");
  else
    fail(op, "device " + device.str() + " requested but this libnn build has no CUDA backend");
}

void check_device(const char* op, Device device) {
  if (device.is_cpu()) return;
  if constexpr (cuda_backend::compiled) {
    const int count = cuda_backend::device_count();
    if (device.index >= count)
      fail(op, "device " + device.str() + " requested but " +
                   (count == 0 ? std::string("no CUDA device is visible")
                               : std::to_string(count) + " CUDA device(s) are visible"));
  } else {
    no_cuda_backend(op, device);
  }
}

void check_defined(const char* op, const Tensor& t, const char* what) {
  if (!t.defined()) fail(op, std::string(what) + " is an undefined tensor");
}

void check_compatible(const char* op, const Tensor& ref, const Tensor& t, const char* what) {
  check_defined(op, t, what);
  if (t.dtype() != ref.dtype())
    fail(op, std::string(what) + " has dtype " + dtype_name(t.dtype()) + " " + shape_str(t.shape()) +
                 ", expected " + dtype_name(ref.dtype()) + " like the input " + shape_str(ref.shape()));
  if (t.device() != ref.device())
    fail(op, std::string(what) + " " + shape_str(t.shape()) + " is on " + t.device().str() +
                 ", expected " + ref.device().str() + " like the input " + shape_str(ref.shape()));
}

void check_dim(const char* op, const Tensor& t, std::int64_t dim, const char* what) {
  check_defined(op, t, what);
  if (t.dim() != dim)
    fail(op, std::string(what) + " must have " + std::to_string(dim) + " dimensions, got " +
                 shape_str(t.shape()));
}

void check_same_shape(const char* op, const Tensor& a, const Tensor& b, const char* what_b) {
  if (a.shape() != b.shape())
    fail(op, std::string(what_b) + " shape " + shape_str(b.shape()) + " does not match " +
                 shape_str(a.shape()));
}

}  // namespace nn::detail
