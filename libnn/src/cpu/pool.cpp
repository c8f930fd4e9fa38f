#include "cpu/pool.hpp"

#include <algorithm>

#include "cpu/parallel.hpp"

namespace nn::cpu {

void max_pool2d_forward(const Tensor& x, const geometry::PatchGeometry& g, const Tensor& y, std::int64_t* argmax) {
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    T* out = y.data<T>();
    const std::int64_t plane = g.in_h * g.in_w, positions = g.positions();
#pragma omp parallel for schedule(static) if (g.channels * positions * g.kernel_h * g.kernel_w >= kParallelGrain)
    for (std::int64_t c = 0; c < g.channels; ++c) {
      const T* src = in + c * plane;
      for (std::int64_t oy = 0; oy < g.out_h; ++oy) {
        const std::int64_t top = oy * g.stride_h - g.pad_top;
        const std::int64_t y0 = std::max<std::int64_t>(top, 0), y1 = std::min(top + g.kernel_h, g.in_h);
        for (std::int64_t ox = 0; ox < g.out_w; ++ox) {
          const std::int64_t left = ox * g.stride_w - g.pad_left;
          const std::int64_t x0 = std::max<std::int64_t>(left, 0), x1 = std::min(left + g.kernel_w, g.in_w);
          // Only real cells compete, so padding never wins.
          std::int64_t best = y0 * g.in_w + x0;
          for (std::int64_t iy = y0; iy < y1; ++iy)
            for (std::int64_t ix = x0; ix < x1; ++ix)
              if (src[iy * g.in_w + ix] > src[best]) best = iy * g.in_w + ix;
          const std::int64_t o = c * positions + oy * g.out_w + ox;
          out[o] = src[best];
          if (argmax) argmax[o] = best;
        }
      }
    }
  });
}

void max_pool2d_backward(const Tensor& grad_y, const std::int64_t* argmax, const geometry::PatchGeometry& g,
                         const Tensor& grad_x) {
  visit_dtype(grad_x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* gy = grad_y.data<T>();
    T* gx = grad_x.data<T>();
    const std::int64_t plane = g.in_h * g.in_w, positions = g.positions();
    // One plane per task: windows overlap only within a plane.
#pragma omp parallel for schedule(static) if (g.channels * (plane + positions) >= kParallelGrain)
    for (std::int64_t c = 0; c < g.channels; ++c) {
      T* dst = gx + c * plane;
      std::fill(dst, dst + plane, T(0));
      for (std::int64_t i = c * positions; i < (c + 1) * positions; ++i) dst[argmax[i]] += gy[i];
    }
  });
}

}  // namespace nn::cpu
