#include "nn/version.hpp"

namespace nn {

const char* version() { return LIBNN_VERSION_STRING; }

}  // namespace nn
