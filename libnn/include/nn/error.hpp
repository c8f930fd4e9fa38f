#pragma once
// Exceptions thrown by libnn. Misuse (wrong shapes, dtypes, devices) raises
// nn::Error with a message that names the op and the offending shapes.
// A failed CUDA, cuBLAS or cuDNN call raises nn::CudaError.
#include <stdexcept>
#include <string>

namespace nn {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// A CUDA runtime, cuBLAS or cuDNN call that did not succeed: the call's source
// text, the status it returned, where it was made and on which device (-1 when
// the device could not be queried). `note` adds context such as the size of a
// failed allocation.
class CudaError : public Error {
 public:
  CudaError(const std::string& call, const std::string& status, const std::string& file, int line, int device,
            const std::string& note = "")
      : Error(call + " failed: " + status + " at " + file + ":" + std::to_string(line) + " on " +
              (device >= 0 ? "cuda:" + std::to_string(device) : std::string("an unknown device")) +
              (note.empty() ? "" : " (" + note + ")")),
        call_(call),
        status_(status),
        file_(file),
        line_(line),
        device_(device) {}

  const std::string& call() const { return call_; }
  const std::string& status() const { return status_; }
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int device() const { return device_; }

 private:
  std::string call_;
  std::string status_;
  std::string file_;
  int line_;
  int device_;
};

}  // namespace nn
