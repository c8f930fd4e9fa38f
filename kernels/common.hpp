#pragma once
// NN_HD marks the per-element math shared by the CPU loops and the CUDA
// launchers: one definition, compiled for both, so the backends cannot drift.
#if defined(__CUDACC__)
#define NN_HD __host__ __device__ __forceinline__
#else
#define NN_HD inline
#endif
