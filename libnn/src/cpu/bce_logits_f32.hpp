#pragma once
// The terms and gradients of binary cross-entropy with logits on f32 data,
// in loops the compiler vectorises: each value is computed in double with a
// branch-free exp and log1p of its own (glibc's log1pf is a scalar call per
// value, a tenth of an autoencoder's step on every pixel), then rounded to
// f32 once, which keeps them within an ulp of the exact values. The loops are
// compiled once per SIMD build (cpu/simd_build.hpp).
#include <cstdint>

namespace nn::cpu {

// out[i] = max(x, 0) - x y + log(1 + exp(-|x|)) for x = logits[i], y = targets[i].
void bce_logits_terms_f32(const float* logits, const float* targets, std::int64_t n, float* out);
// out[i] = sigmoid(x) - y, the derivative of that term with respect to x.
void bce_logits_gradients_f32(const float* logits, const float* targets, std::int64_t n, float* out);

}  // namespace nn::cpu
