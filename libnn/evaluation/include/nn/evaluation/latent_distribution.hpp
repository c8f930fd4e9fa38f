#pragma once
// How a generator's noise is drawn.
namespace nn::evaluation {

enum class LatentDistribution { uniform, normal, uniform_pm1 };  // U[0, 1), N(0, 1) or U[-1, 1)

}  // namespace nn::evaluation
