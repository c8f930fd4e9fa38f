#pragma once
// Everything of libnn::evaluation in one include.
#include "nn/evaluation/feature_metrics.hpp"
