#include "nn/nn/init.hpp"

#include <cmath>
#include <sstream>

#include "nn/autograd.hpp"
#include "nn/error.hpp"
#include "nn/ops.hpp"

namespace nn {

void Initializer::apply(const Tensor& t, std::int64_t fan_in, std::int64_t fan_out) const {
  NoGradGuard no_grad;
  const TensorOptions opts = TensorOptions().dtype(t.dtype()).device(t.device());
  Tensor values;
  switch (kind_) {
    case Kind::constant:
      values = nn::full(t.shape(), a_, opts);
      break;
    case Kind::normal:
      values = nn::normal(t.shape(), a_, b_, opts);
      break;
    case Kind::uniform:
      values = nn::uniform(t.shape(), a_, b_, opts);
      break;
    case Kind::glorot_uniform: {
      if (fan_in + fan_out <= 0) throw Error("glorot_uniform: fans must be positive for " + shape_str(t.shape()));
      const double limit = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
      values = nn::uniform(t.shape(), -limit, limit, opts);
      break;
    }
    case Kind::kaiming_uniform: {
      if (fan_in <= 0) throw Error("kaiming_uniform: fan_in must be positive for " + shape_str(t.shape()));
      const double limit = std::sqrt(6.0 / ((1.0 + a_ * a_) * static_cast<double>(fan_in)));
      values = nn::uniform(t.shape(), -limit, limit, opts);
      break;
    }
  }
  copy_(t, values);
}

std::string Initializer::str() const {
  std::ostringstream os;
  switch (kind_) {
    case Kind::constant: os << "constant(" << a_ << ")"; break;
    case Kind::normal: os << "normal(" << a_ << ", " << b_ << ")"; break;
    case Kind::uniform: os << "uniform(" << a_ << ", " << b_ << ")"; break;
    case Kind::glorot_uniform: os << "glorot_uniform"; break;
    case Kind::kaiming_uniform: os << "kaiming_uniform(a=" << a_ << ")"; break;
  }
  return os.str();
}

}  // namespace nn
