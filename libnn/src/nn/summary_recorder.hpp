#pragma once
// The hook through which Module::operator() reports layer outputs to an
// active summary() on this thread. Internal to libnn's modules.
#include "nn/tensor.hpp"

namespace nn {
class Module;
namespace detail {
void report_layer_output(const Module& layer, const Tensor& output);
}  // namespace detail
}  // namespace nn
