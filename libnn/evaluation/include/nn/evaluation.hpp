#pragma once
// Everything of libnn::evaluation in one include.
#include "nn/evaluation/attribute_control.hpp"
#include "nn/evaluation/attribute_judge.hpp"
#include "nn/evaluation/fashion_judge.hpp"
#include "nn/evaluation/feature_metrics.hpp"
#include "nn/evaluation/generator_evaluation.hpp"
#include "nn/evaluation/judge_cache.hpp"
#include "nn/evaluation/judge_faces.hpp"
#include "nn/evaluation/latent_distribution.hpp"
#include "nn/evaluation/unconditional_evaluation.hpp"
