// Deterministic sums on CUDA: every thread accumulates a fixed subset in
// double, blocks combine their threads in a fixed tree, and a second pass adds
// the per-block partials in index order.
#include "cuda_launch.cuh"
#include "reduce_cuda.hpp"

namespace nn::kernels {
namespace {

// Threads per reduction block: a power of two, the tree in block_sum relies on it.
constexpr int kReduceThreads = 256;
// Reductions this short are summed by one thread per output.
constexpr std::int64_t kSerialReduction = 32;

// The sum of v over the block, valid in thread 0. Every thread of the block
// must call it, the same number of times.
__device__ double block_sum(double v) {
  __shared__ double shared[kReduceThreads];
  __syncthreads();  // the previous call's reads of shared[] are done
  shared[threadIdx.x] = v;
  __syncthreads();
  for (int half = kReduceThreads / 2; half > 0; half /= 2) {
    if (static_cast<int>(threadIdx.x) < half) shared[threadIdx.x] += shared[threadIdx.x + half];
    __syncthreads();
  }
  return shared[0];
}

template <class T>
__global__ void sum_all_partials_kernel(const T* x, std::int64_t n, double* partials) {
  const std::int64_t step = static_cast<std::int64_t>(gridDim.x) * kReduceThreads;
  double acc = 0;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(kReduceThreads) + threadIdx.x; i < n; i += step)
    acc += x[i];
  const double total = block_sum(acc);
  if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

template <class T>
__global__ void sum_all_final_kernel(const double* partials, std::int64_t count, T* out) {
  double acc = 0;
  for (std::int64_t j = threadIdx.x; j < count; j += kReduceThreads) acc += partials[j];
  const double total = block_sum(acc);
  if (threadIdx.x == 0) out[0] = static_cast<T>(total);
}

template <class T>
struct SumSerial {
  const T* x;
  StridedIndex kept, summed;
  std::int64_t reduced;
  T* out;
  __device__ void operator()(std::int64_t o) const {
    const T* base = x + strided_offset(kept, o);
    double acc = 0;
    for (std::int64_t r = 0; r < reduced; ++r) acc += base[strided_offset(summed, r)];
    out[o] = static_cast<T>(acc);
  }
};

// Block b sums chunk b % chunks of output b / chunks into out[b].
template <class T, class Out>
__global__ void sum_chunks_kernel(const T* x, StridedIndex kept, StridedIndex summed, std::int64_t reduced,
                                  std::int64_t chunks, std::int64_t n_blocks, Out* out) {
  const std::int64_t chunk_len = (reduced + chunks - 1) / chunks;
  for (std::int64_t b = blockIdx.x; b < n_blocks; b += gridDim.x) {
    const T* base = x + strided_offset(kept, b / chunks);
    const std::int64_t begin = b % chunks * chunk_len;
    const std::int64_t end = begin + chunk_len < reduced ? begin + chunk_len : reduced;
    double acc = 0;
    for (std::int64_t r = begin + threadIdx.x; r < end; r += kReduceThreads) acc += base[strided_offset(summed, r)];
    const double total = block_sum(acc);
    if (threadIdx.x == 0) out[b] = static_cast<Out>(total);
  }
}

template <class T>
struct AddChunks {
  const double* partials;
  std::int64_t chunks;
  T* out;
  __device__ void operator()(std::int64_t o) const {
    double acc = 0;
    for (std::int64_t c = 0; c < chunks; ++c) acc += partials[o * chunks + c];
    out[o] = static_cast<T>(acc);
  }
};

unsigned blocks_for(std::int64_t n_blocks) {
  return static_cast<unsigned>(n_blocks < kMaxBlocks ? n_blocks : kMaxBlocks);
}

}  // namespace

template <class T>
void sum_all_cuda(const T* x, std::int64_t n, double* partials, T* out, cudaStream_t stream) {
  const std::int64_t count = sum_all_partials(n);
  sum_all_partials_kernel<<<static_cast<unsigned>(count), kReduceThreads, 0, stream>>>(x, n, partials);
  NN_KERNELS_CHECK_LAUNCH("sum_all_partials");
  sum_all_final_kernel<<<1, kReduceThreads, 0, stream>>>(partials, count, out);
  NN_KERNELS_CHECK_LAUNCH("sum_all_final");
}

template <class T>
void sum_to_cuda(const T* x, const StridedIndex& kept, std::int64_t n_out, const StridedIndex& summed,
                 std::int64_t reduced, double* partials, T* out, cudaStream_t stream) {
  if (n_out <= 0) return;
  if (reduced <= kSerialReduction) {
    launch_for_each("sum_to_serial", n_out, SumSerial<T>{x, kept, summed, reduced, out}, stream);
    return;
  }
  const std::int64_t chunks = sum_to_chunks(reduced);
  if (chunks == 1) {
    sum_chunks_kernel<<<blocks_for(n_out), kReduceThreads, 0, stream>>>(x, kept, summed, reduced, chunks, n_out,
                                                                        out);
    NN_KERNELS_CHECK_LAUNCH("sum_to_blocks");
    return;
  }
  const std::int64_t n_blocks = n_out * chunks;
  sum_chunks_kernel<<<blocks_for(n_blocks), kReduceThreads, 0, stream>>>(x, kept, summed, reduced, chunks,
                                                                         n_blocks, partials);
  NN_KERNELS_CHECK_LAUNCH("sum_to_chunks");
  launch_for_each("sum_to_add_chunks", n_out, AddChunks<T>{partials, chunks, out}, stream);
}

template void sum_all_cuda<float>(const float*, std::int64_t, double*, float*, cudaStream_t);
template void sum_all_cuda<double>(const double*, std::int64_t, double*, double*, cudaStream_t);
template void sum_to_cuda<float>(const float*, const StridedIndex&, std::int64_t, const StridedIndex&,
                                 std::int64_t, double*, float*, cudaStream_t);
template void sum_to_cuda<double>(const double*, const StridedIndex&, std::int64_t, const StridedIndex&,
                                  std::int64_t, double*, double*, cudaStream_t);

}  // namespace nn::kernels
