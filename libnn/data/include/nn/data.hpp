#pragma once
// Everything of libnn::data in one include.
#include "nn/data/celeba.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/data/preprocess.hpp"
#include "nn/data/progress.hpp"
#include "nn/data/synthetic_faces.hpp"
