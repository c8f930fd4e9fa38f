#pragma once
#include <cstddef>
#include <string>
#include <type_traits>

namespace nn {

enum class Dtype { f32, f64 };

inline std::size_t dtype_size(Dtype d) { return d == Dtype::f32 ? 4 : 8; }
inline std::string dtype_name(Dtype d) { return d == Dtype::f32 ? "f32" : "f64"; }

template <class T>
constexpr Dtype dtype_of() {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                "libnn tensors hold float or double");
  return std::is_same_v<T, float> ? Dtype::f32 : Dtype::f64;
}

// Calls fn with a value of the C++ type that corresponds to `d`
// (float for f32, double for f64): fn(float{}) or fn(double{}).
template <class Fn>
decltype(auto) visit_dtype(Dtype d, Fn&& fn) {
  if (d == Dtype::f32) return fn(float{});
  return fn(double{});
}

}  // namespace nn
