#include "nn/device.hpp"

#include <charconv>

#include "cuda/backend.hpp"
#include "nn/error.hpp"

namespace nn {

Device Device::parse(const std::string& text) {
  if (text == "cpu") return cpu();
  if (text == "cuda") return cuda(0);
  const std::string prefix = "cuda:";
  if (text.rfind(prefix, 0) == 0 && text.size() > prefix.size()) {
    int index = -1;
    const char* first = text.data() + prefix.size();
    const char* last = text.data() + text.size();
    const auto [end, ec] = std::from_chars(first, last, index);
    if (ec == std::errc() && end == last && index >= 0) return cuda(index);
  }
  throw Error("Device::parse: unknown device '" + text + "' (expected cpu, cuda or cuda:N)");
}

std::string Device::str() const {
  return is_cpu() ? "cpu" : "cuda:" + std::to_string(index);
}

bool cuda_available() {
  if constexpr (cuda_backend::compiled)
    return cuda_backend::device_count() > 0;
  else
    return false;
}

}  // namespace nn
