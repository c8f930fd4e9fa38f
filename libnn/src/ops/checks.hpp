#pragma once
// Argument checks shared by the ops seam. Each failure raises nn::Error whose
// message starts with the op's name and shows the shapes involved.
#include <string>

#include "nn/error.hpp"
#include "nn/tensor.hpp"

namespace nn::detail {

// For an op without a CUDA implementation (or a build without CUDA) asked to
// run on `device`.
[[noreturn]] void no_cuda_backend(const char* op, Device device);
// A CUDA device must exist in this build and on this machine; CPU always does.
void check_device(const char* op, Device device);
void check_defined(const char* op, const Tensor& t, const char* what);
// Same dtype and device as `ref` (shapes are the op's own business).
void check_compatible(const char* op, const Tensor& ref, const Tensor& t, const char* what);
void check_dim(const char* op, const Tensor& t, std::int64_t dim, const char* what);
void check_same_shape(const char* op, const Tensor& a, const Tensor& b, const char* what_b);
// Throws nn::Error("<op>: <message>").
[[noreturn]] void fail(const char* op, const std::string& message);

}  // namespace nn::detail
