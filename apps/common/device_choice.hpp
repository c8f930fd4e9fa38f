#pragma once
// --device for every app: auto (the first CUDA device when one is usable,
// else the CPU), cpu, cuda or cuda:N.
#include <string>

#include "nn/device.hpp"

namespace nn::apps {

// Raises nn::Error, prefixed by `program`, for a CUDA device this machine
// cannot use or a name that is not a device.
Device choose_device(const std::string& name, const std::string& program);

}  // namespace nn::apps
