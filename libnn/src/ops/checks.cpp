#include "ops/checks.hpp"

namespace nn::detail {

void fail(const char* op, const std::string& message) { throw Error(std::string(op) + ": " + message); }

void no_cuda_backend(const char* op, Device device) {
  fail(op, "device " + device.str() + " requested but this libnn build has no CUDA backend");
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
