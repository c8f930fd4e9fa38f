#pragma once
// The synthetic faces' own renderer seen as a conditional generator: face
// number z_i drawn with exactly the attributes y_i asks for. Scored by the
// judge like a trained generator, it shows what a generator that draws every
// request faithfully would get: the ceiling of the judge's measures, and how
// far the judge can be trusted on combinations the data never holds.
#include "nn/data/preprocess.hpp"
#include "nn/evaluation/generator_evaluation.hpp"

namespace nn::apps {

// z is [n, 1]: face numbers from a range no data set of the apps reaches,
// drawn from the evaluation's uniform noise. The faces come out as the run's
// faces do (`preprocess`, values in [-1, 1]) on `device`.
evaluation::ConditionalGenerator synthetic_renderer(const data::PreprocessOptions& preprocess,
                                                    evaluation::AttributeSampler attributes, Device device);

}  // namespace nn::apps
