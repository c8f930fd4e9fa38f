#include "cpu/bce_logits_f32.hpp"

#include <bit>
#include <cmath>

#include "cpu/simd_build.hpp"

namespace nn::cpu {
namespace {

constexpr double kLn2 = 0.693147180559945309417;
// ln 2 in two parts, the first with trailing zero bits so that n * kLn2High
// is exact for the n used here.
constexpr double kLn2High = 6.93147180369123816490e-01;
constexpr double kLn2Low = 1.90821492927058770002e-10;
constexpr double kLog2E = 1.44269504088896340736;
// Every |x| above this gives exp(-|x|) below f32's smallest value, so the
// clamp changes no result and keeps 2^n a normal double.
constexpr double kLargestExponent = 200;

// exp(-a) for 0 <= a <= kLargestExponent (NaN stays NaN): -a = n ln2 + r with
// n integral and |r| <= ln2 / 2, exp(-a) = 2^n exp(r), and exp(r) by its
// Taylor series to r^9 / 9!, whose remainder is below 1e-11 of the value.
[[gnu::always_inline]] inline double exp_of_negative(double a) {
  // Adding 1.5 * 2^52 rounds to an integer and leaves it in the low bits.
  constexpr double kShifter = 6755399441055744.0;
  const double shifted = -a * kLog2E + kShifter;
  const double n = shifted - kShifter;
  const double r = (-a - n * kLn2High) - n * kLn2Low;
  double p = 1.0 / 362880;
  p = p * r + 1.0 / 40320;
  p = p * r + 1.0 / 5040;
  p = p * r + 1.0 / 720;
  p = p * r + 1.0 / 120;
  p = p * r + 1.0 / 24;
  p = p * r + 1.0 / 6;
  p = p * r + 0.5;
  p = p * r + 1;
  p = p * r + 1;
  // 2^n: n + 1023 into the exponent field (the shifter's own bits shift out).
  const double two_to_n = std::bit_cast<double>((std::bit_cast<std::uint64_t>(shifted) + 1023) << 52);
  return p * two_to_n;
}

// log(1 + t) for 0 <= t <= 1. Above 1/2 it is ln2 + log(1 + w) with
// w = (t - 1) / 2, exact there; log(1 + w) = 2 atanh(s) with s = w / (2 + w),
// |s| <= 1/5, by the odd series to s^13 / 13 (remainder below 2e-11).
[[gnu::always_inline]] inline double log1p_of_unit(double t) {
  const bool upper = t >= 0.5;
  const double w = upper ? (t - 1) * 0.5 : t;
  const double s = w / (2 + w);
  const double z = s * s;
  double p = 1.0 / 13;
  p = p * z + 1.0 / 11;
  p = p * z + 1.0 / 9;
  p = p * z + 1.0 / 7;
  p = p * z + 1.0 / 5;
  p = p * z + 1.0 / 3;
  p = p * z + 1;
  return (upper ? kLn2 : 0.0) + 2 * s * p;
}

[[gnu::always_inline]] inline double exp_of_negative_abs(double x) {
  const double a = std::fabs(x);
  return exp_of_negative(a > kLargestExponent ? kLargestExponent : a);
}

[[gnu::always_inline]] inline void terms_body(const float* logits, const float* targets, std::int64_t n,
                                              float* out) {
#pragma omp simd
  for (std::int64_t i = 0; i < n; ++i) {
    const double x = logits[i], y = targets[i];
    out[i] = static_cast<float>((x > 0 ? x : 0.0) - x * y + log1p_of_unit(exp_of_negative_abs(x)));
  }
}

[[gnu::always_inline]] inline void gradients_body(const float* logits, const float* targets, std::int64_t n,
                                                  float* out) {
#pragma omp simd
  for (std::int64_t i = 0; i < n; ++i) {
    const double x = logits[i], y = targets[i];
    const double t = exp_of_negative_abs(x);
    const double above_half = 1 / (1 + t);  // sigmoid(|x|)
    out[i] = static_cast<float>((x >= 0 ? above_half : t * above_half) - y);
  }
}

using Loop = void (*)(const float*, const float*, std::int64_t, float*);

void terms_sse2(const float* logits, const float* targets, std::int64_t n, float* out) {
  terms_body(logits, targets, n, out);
}
void gradients_sse2(const float* logits, const float* targets, std::int64_t n, float* out) {
  gradients_body(logits, targets, n, out);
}

#ifdef NN_SIMD_X86
__attribute__((target("arch=x86-64-v3"))) void terms_avx2(const float* logits, const float* targets,
                                                           std::int64_t n, float* out) {
  terms_body(logits, targets, n, out);
}
__attribute__((target("arch=x86-64-v3"))) void gradients_avx2(const float* logits, const float* targets,
                                                               std::int64_t n, float* out) {
  gradients_body(logits, targets, n, out);
}
__attribute__((target("arch=x86-64-v4"))) void terms_avx512(const float* logits, const float* targets,
                                                             std::int64_t n, float* out) {
  terms_body(logits, targets, n, out);
}
__attribute__((target("arch=x86-64-v4"))) void gradients_avx512(const float* logits, const float* targets,
                                                                 std::int64_t n, float* out) {
  gradients_body(logits, targets, n, out);
}
#endif

struct Loops {
  Loop terms, gradients;
};

Loops loops() {
  switch (simd_build()) {
#ifdef NN_SIMD_X86
    case SimdBuild::avx512: return {terms_avx512, gradients_avx512};
    case SimdBuild::avx2: return {terms_avx2, gradients_avx2};
#endif
    default: return {terms_sse2, gradients_sse2};
  }
}

}  // namespace

void bce_logits_terms_f32(const float* logits, const float* targets, std::int64_t n, float* out) {
  loops().terms(logits, targets, n, out);
}

void bce_logits_gradients_f32(const float* logits, const float* targets, std::int64_t n, float* out) {
  loops().gradients(logits, targets, n, out);
}

}  // namespace nn::cpu
