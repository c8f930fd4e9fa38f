#pragma once
// Exceptions thrown by libnn. Misuse (wrong shapes, dtypes, devices) raises
// nn::Error with a message that names the op and the offending shapes.
#include <stdexcept>
#include <string>

namespace nn {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace nn
