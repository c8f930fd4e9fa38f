#include "cuda/conv_algorithms.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <string>

#include "cuda/allocator.hpp"
#include "cuda/check.hpp"
#include "nn/error.hpp"

namespace nn::cuda_backend {
namespace {

// The most workspace a search offers; an algorithm that wants more is not run.
constexpr std::size_t kSearchWorkspaceLimit = std::size_t{1} << 29;

// Per pass: the algorithm enum, its perf record and the two cuDNN queries.
struct ForwardPass {
  using Algo = cudnnConvolutionFwdAlgo_t;
  using Perf = cudnnConvolutionFwdAlgoPerf_t;
  static constexpr int count = CUDNN_CONVOLUTION_FWD_ALGO_COUNT;
  static constexpr const char* name = "forward";

  static cudnnStatus_t workspace(const ConvOperands& o, Algo algo, std::size_t* bytes) {
    return cudnnGetConvolutionForwardWorkspaceSize(o.handle, o.x_desc, o.w_desc, o.conv_desc, o.y_desc, algo, bytes);
  }
  static void find(const ConvOperands& o, Perf* results, int* returned, void* ws, std::size_t bytes) {
    NN_CUDNN_CHECK(cudnnFindConvolutionForwardAlgorithmEx(o.handle, o.x_desc, o.x, o.w_desc, o.w, o.conv_desc,
                                                          o.y_desc, o.y, count, returned, results, ws, bytes));
  }
  static void rank(const ConvOperands& o, Perf* results, int* returned) {
    NN_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithm_v7(o.handle, o.x_desc, o.w_desc, o.conv_desc, o.y_desc, count,
                                                          returned, results));
  }
};

struct BackwardDataPass {
  using Algo = cudnnConvolutionBwdDataAlgo_t;
  using Perf = cudnnConvolutionBwdDataAlgoPerf_t;
  static constexpr int count = CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT;
  static constexpr const char* name = "backward data";

  static cudnnStatus_t workspace(const ConvOperands& o, Algo algo, std::size_t* bytes) {
    return cudnnGetConvolutionBackwardDataWorkspaceSize(o.handle, o.w_desc, o.y_desc, o.conv_desc, o.x_desc, algo,
                                                        bytes);
  }
  static void find(const ConvOperands& o, Perf* results, int* returned, void* ws, std::size_t bytes) {
    NN_CUDNN_CHECK(cudnnFindConvolutionBackwardDataAlgorithmEx(o.handle, o.w_desc, o.w, o.y_desc, o.y, o.conv_desc,
                                                               o.x_desc, o.x, count, returned, results, ws, bytes));
  }
  static void rank(const ConvOperands& o, Perf* results, int* returned) {
    NN_CUDNN_CHECK(cudnnGetConvolutionBackwardDataAlgorithm_v7(o.handle, o.w_desc, o.y_desc, o.conv_desc, o.x_desc,
                                                               count, returned, results));
  }
};

struct BackwardFilterPass {
  using Algo = cudnnConvolutionBwdFilterAlgo_t;
  using Perf = cudnnConvolutionBwdFilterAlgoPerf_t;
  static constexpr int count = CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT;
  static constexpr const char* name = "backward filter";

  static cudnnStatus_t workspace(const ConvOperands& o, Algo algo, std::size_t* bytes) {
    return cudnnGetConvolutionBackwardFilterWorkspaceSize(o.handle, o.x_desc, o.y_desc, o.conv_desc, o.w_desc, algo,
                                                          bytes);
  }
  static void find(const ConvOperands& o, Perf* results, int* returned, void* ws, std::size_t bytes) {
    NN_CUDNN_CHECK(cudnnFindConvolutionBackwardFilterAlgorithmEx(o.handle, o.x_desc, o.x, o.y_desc, o.y,
                                                                 o.conv_desc, o.w_desc, o.w, count, returned,
                                                                 results, ws, bytes));
  }
  static void rank(const ConvOperands& o, Perf* results, int* returned) {
    NN_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterAlgorithm_v7(o.handle, o.x_desc, o.y_desc, o.conv_desc, o.w_desc,
                                                                 count, returned, results));
  }
};

template <class Perf>
bool usable(const Perf& result, const ConvKey& key, std::size_t offered) {
  if (result.status != CUDNN_STATUS_SUCCESS || result.memory > offered) return false;
  if (key.deterministic && result.determinism != CUDNN_DETERMINISTIC) return false;
  // Never FP16 down-conversion; tensor-core (TF32) math only where allowed.
  if (result.mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) return false;
  return !(result.mathType == CUDNN_TENSOR_OP_MATH && key.math == CUDNN_FMA_MATH);
}

std::string describe(const ConvKey& key) {
  const auto pair = [](int a, int b) { return std::to_string(a) + "x" + std::to_string(b); };
  return "input [" + std::to_string(key.batch) + ", " + std::to_string(key.in_channels) + ", " +
         std::to_string(key.in_h) + ", " + std::to_string(key.in_w) + "], " + std::to_string(key.out_channels) +
         " filters " + pair(key.kernel_h, key.kernel_w) + ", padding " + pair(key.pad_h, key.pad_w) + ", stride " +
         pair(key.stride_h, key.stride_w) + (key.dtype == Dtype::f64 ? ", f64" : ", f32") +
         (key.deterministic ? ", deterministic" : "") + ", operands aligned to " + std::to_string(key.alignment) +
         " bytes";
}

// The first usable algorithm of `results`, in cuDNN's order.
template <class Pass>
ConvAlgorithm first_usable(const char* op, const ConvKey& key, const ConvOperands& operands,
                           const typename Pass::Perf* results, int returned, std::size_t offered) {
  for (int i = 0; i < returned; ++i) {
    const typename Pass::Perf& result = results[i];
    if (!usable(result, key, offered)) continue;
    std::size_t needed = 0;
    NN_CUDNN_CHECK(Pass::workspace(operands, result.algo, &needed));
    return {static_cast<int>(result.algo), std::max(needed, result.memory)};
  }
  throw Error(std::string(op) + ": no usable cuDNN " + Pass::name + " algorithm for " + describe(key));
}

// cuDNN's heuristic ranking, without running anything.
template <class Pass>
ConvAlgorithm ranked(const char* op, const ConvKey& key, const ConvOperands& operands) {
  std::array<typename Pass::Perf, Pass::count> results{};
  int returned = 0;
  Pass::rank(operands, results.data(), &returned);
  return first_usable<Pass>(op, key, operands, results.data(), returned, kSearchWorkspaceLimit);
}

// Runs every algorithm of the pass on the operands and keeps the fastest
// usable one (cuDNN returns them sorted by time).
template <class Pass>
ConvAlgorithm fastest(const char* op, const ConvKey& key, const ConvOperands& operands) {
  std::size_t offered = 0;
  for (int a = 0; a < Pass::count; ++a) {
    std::size_t bytes = 0;
    // An algorithm that does not support the problem reports an error here.
    if (Pass::workspace(operands, static_cast<typename Pass::Algo>(a), &bytes) == CUDNN_STATUS_SUCCESS)
      offered = std::max(offered, bytes);
  }
  offered = std::min(offered, kSearchWorkspaceLimit);
  const DeviceBuffer workspace(offered, key.device);
  std::array<typename Pass::Perf, Pass::count> results{};
  int returned = 0;
  Pass::find(operands, results.data(), &returned, workspace.as<void>(), offered);
  return first_usable<Pass>(op, key, operands, results.data(), returned, offered);
}

// Deterministic mode takes the first usable algorithm of cuDNN's heuristic
// ranking, which depends only on the problem, the GPU and the library, so
// every process picks the same one and a resumed run repeats a fresh run bit
// for bit. Timing the algorithms can rank near-equal ones differently from
// one process to the next; that fastest pick is used after
// set_deterministic(false).
template <class Pass>
ConvAlgorithm search(const char* op, const ConvKey& key, const ConvOperands& operands) {
  return key.deterministic ? ranked<Pass>(op, key, operands) : fastest<Pass>(op, key, operands);
}

}  // namespace

ConvAlgorithm conv_algorithm(const char* op, const ConvKey& key, const ConvOperands& operands) {
  static std::mutex mutex;
  static std::map<ConvKey, ConvAlgorithm> chosen;
  const std::lock_guard lock(mutex);
  if (const auto it = chosen.find(key); it != chosen.end()) return it->second;
  ConvAlgorithm algorithm;
  switch (key.pass) {
    case ConvPass::forward: algorithm = search<ForwardPass>(op, key, operands); break;
    case ConvPass::backward_data: algorithm = search<BackwardDataPass>(op, key, operands); break;
    case ConvPass::backward_filter: algorithm = search<BackwardFilterPass>(op, key, operands); break;
  }
  chosen.emplace(key, algorithm);
  return algorithm;
}

}  // namespace nn::cuda_backend
