#pragma once
// How a generator's noise is drawn.
namespace nn::evaluation {

enum class LatentDistribution { uniform, normal };  // U[0, 1) or N(0, 1)

}  // namespace nn::evaluation
