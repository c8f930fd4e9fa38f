#pragma once
// Everything of libnn in one include.
#include "nn/autograd.hpp"
#include "nn/device.hpp"
#include "nn/dtype.hpp"
#include "nn/error.hpp"
#include "nn/loss.hpp"
#include "nn/ops.hpp"
#include "nn/random.hpp"
#include "nn/tensor.hpp"
