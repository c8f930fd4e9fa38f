#pragma once
// Weight initialisers. fan_in and fan_out come from the layer:
// Dense [out, in]: fan_in = in, fan_out = out; convolutions: channels times
// the kernel's area on each side.
#include <cstdint>

#include "nn/tensor.hpp"

namespace nn {

class Initializer {
 public:
  static Initializer zeros() { return {Kind::constant, 0, 0}; }
  static Initializer ones() { return {Kind::constant, 1, 0}; }
  static Initializer constant(double value) { return {Kind::constant, value, 0}; }
  static Initializer normal(double mean, double stddev) { return {Kind::normal, mean, stddev}; }
  static Initializer uniform(double low, double high) { return {Kind::uniform, low, high}; }
  // U(-l, l), l = sqrt(6 / (fan_in + fan_out)): Keras' default for Dense and Conv.
  static Initializer glorot_uniform() { return {Kind::glorot_uniform, 0, 0}; }
  // U(-l, l), l = sqrt(6 / ((1 + a^2) fan_in)); a = sqrt(5) is PyTorch's
  // default for Linear and Conv weights (l = 1 / sqrt(fan_in)).
  static Initializer kaiming_uniform(double a = 2.23606797749979) { return {Kind::kaiming_uniform, a, 0}; }

  // Overwrites t in place with fresh values from the global generator.
  void apply(const Tensor& t, std::int64_t fan_in, std::int64_t fan_out) const;
  std::string str() const;

 private:
  enum class Kind { constant, normal, uniform, glorot_uniform, kaiming_uniform };
  Initializer(Kind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}
  Kind kind_;
  double a_, b_;
};

}  // namespace nn
