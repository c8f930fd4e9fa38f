#pragma once
// Everything of libnn::evaluation in one include.
#include "nn/evaluation/attribute_control.hpp"
#include "nn/evaluation/feature_metrics.hpp"
