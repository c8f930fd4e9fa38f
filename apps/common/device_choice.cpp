#include "common/device_choice.hpp"

#include "nn/error.hpp"

namespace nn::apps {

Device choose_device(const std::string& name, const std::string& program) {
  if (name == "auto") return cuda_available() ? Device::cuda(0) : Device::cpu();
  const Device device = Device::parse(name);
  if (device.is_cuda() && !cuda_available())
    throw Error(program + ": --device " + name + ": no usable CUDA device on this machine");
  return device;
}

}  // namespace nn::apps
