#pragma once
// Metrics over sets of feature vectors: rows are samples, columns features.
// Inputs may be f32 or f64 on any device; the math runs in f64 on the host.
#include "nn/tensor.hpp"

namespace nn::evaluation {

// The Fréchet distance between Gaussians fitted to two sets a [N, D] and
// b [M, D] (N, M >= 2, the same D), as in the FID:
//   |mu_a - mu_b|^2 + tr(Ca) + tr(Cb) - 2 tr((Ca^1/2 Cb Ca^1/2)^1/2)
// with sample covariances (denominator N - 1).
double frechet_distance(const nn::Tensor& a, const nn::Tensor& b);

// The mean Euclidean distance over all unordered pairs of distinct rows of
// features [N, D] (N >= 2): how spread out, i.e. how diverse, a set is.
double mean_pairwise_distance(const nn::Tensor& features);

}  // namespace nn::evaluation
