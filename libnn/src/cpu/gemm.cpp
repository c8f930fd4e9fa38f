#include "cpu/gemm.hpp"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <mutex>

namespace nn::cpu {
namespace {

CBLAS_TRANSPOSE flag(bool t) { return t ? CblasTrans : CblasNoTrans; }

// OpenBLAS's own thread pool and OpenMP's would fight over the cores (each
// spins while the other works), so BLAS runs single-threaded and the work is
// split across OpenMP threads here: one thread pool for the whole backend.
void use_single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

// Below this many multiply-adds a GEMM is not worth splitting.
constexpr double kSplitWork = 2.0e6;

// Calls `block(first, count)` for disjoint blocks of [0, extent) in parallel.
template <class Block>
void split(std::int64_t extent, double work, Block&& block) {
  const int threads = work < kSplitWork ? 1 : std::min<int>(omp_get_max_threads(), static_cast<int>(extent));
  if (threads <= 1) {
    block(0, extent);
    return;
  }
#pragma omp parallel for schedule(static) num_threads(threads)
  for (int t = 0; t < threads; ++t) {
    const std::int64_t first = extent * t / threads, last = extent * (t + 1) / threads;
    if (last > first) block(first, last - first);
  }
}

template <class T, class Call>
void gemm_split(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda,
                const T* b, std::int64_t ldb, T beta, T* c, std::int64_t ldc, Call&& call) {
  use_single_threaded_blas();
  if (m == 0 || n == 0) return;
  // An empty inner dimension leaves C = beta * C; BLAS would reject the
  // leading dimension 0 of such operands.
  if (k == 0) {
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    return;
  }
  const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  if (n >= m) {
    // Column blocks of C: columns of op(B).
    split(n, work, [&](std::int64_t j, std::int64_t cols) {
      call(m, cols, a, tb ? b + j * ldb : b + j, c + j);
    });
  } else {
    // Row blocks of C: rows of op(A).
    split(m, work, [&](std::int64_t i, std::int64_t rows) {
      call(rows, n, ta ? a + i : a + i * lda, b, c + i * ldc);
    });
  }
}

}  // namespace

void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc) {
  gemm_split(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc,
             [&](std::int64_t mm, std::int64_t nn, const float* aa, const float* bb, float* cc) {
               cblas_sgemm(CblasRowMajor, flag(trans_a), flag(trans_b), static_cast<int>(mm), static_cast<int>(nn),
                           static_cast<int>(k), alpha, aa, static_cast<int>(lda), bb, static_cast<int>(ldb), beta,
                           cc, static_cast<int>(ldc));
             });
}

void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, double alpha,
          const double* a, std::int64_t lda, const double* b, std::int64_t ldb, double beta, double* c,
          std::int64_t ldc) {
  gemm_split(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc,
             [&](std::int64_t mm, std::int64_t nn, const double* aa, const double* bb, double* cc) {
               cblas_dgemm(CblasRowMajor, flag(trans_a), flag(trans_b), static_cast<int>(mm), static_cast<int>(nn),
                           static_cast<int>(k), alpha, aa, static_cast<int>(lda), bb, static_cast<int>(ldb), beta,
                           cc, static_cast<int>(ldc));
             });
}

}  // namespace nn::cpu
