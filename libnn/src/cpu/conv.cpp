#include "cpu/conv.hpp"

#include <algorithm>
#include <memory>

#include "cpu/gemm.hpp"
#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {

// Elements of the column matrix per chunk (16 MiB in f32). One image's
// columns may exceed it; a chunk always holds at least one image.
constexpr std::int64_t kColumnBudget = std::int64_t{1} << 22;

std::int64_t chunk_size(const ConvGeometry& g) {
  const std::int64_t per_image = std::max<std::int64_t>(g.patch.rows() * g.patch.positions(), 1);
  return std::clamp<std::int64_t>(kColumnBudget / per_image, 1, std::max<std::int64_t>(g.batch, 1));
}

template <class T>
std::unique_ptr<T[]> buffer(std::int64_t n) {
  return std::make_unique_for_overwrite<T[]>(static_cast<std::size_t>(n));
}

// Between the image layout [count, rows, P] and the GEMM layout
// [rows, count*P] (image b in columns [b*P, (b+1)*P)).
template <class T>
void images_to_gemm(const T* images, std::int64_t count, std::int64_t rows, std::int64_t positions, T* out) {
  const std::int64_t ld = count * positions;
#pragma omp parallel for schedule(static) if (count * rows * positions >= kParallelGrain)
  for (std::int64_t t = 0; t < rows * count; ++t) {
    const std::int64_t r = t / count, b = t % count;
    const T* src = images + (b * rows + r) * positions;
    std::copy(src, src + positions, out + r * ld + b * positions);
  }
}

template <class T>
void gemm_to_images(const T* in, std::int64_t count, std::int64_t rows, std::int64_t positions, T* images) {
  const std::int64_t ld = count * positions;
#pragma omp parallel for schedule(static) if (count * rows * positions >= kParallelGrain)
  for (std::int64_t t = 0; t < rows * count; ++t) {
    const std::int64_t r = t / count, b = t % count;
    const T* src = in + r * ld + b * positions;
    std::copy(src, src + positions, images + (b * rows + r) * positions);
  }
}

// Sizes shared by the three passes.
struct Dims {
  std::int64_t rows, positions, out_channels, image, output, chunk;
  explicit Dims(const ConvGeometry& g)
      : rows(g.patch.rows()),
        positions(g.patch.positions()),
        out_channels(g.out_channels),
        image(g.patch.image_size()),
        output(g.out_channels * g.patch.positions()),
        chunk(chunk_size(g)) {}
};

template <class T>
void forward_typed(const T* x, const T* w, const ConvGeometry& g, T* y) {
  const Dims d(g);
  auto columns = buffer<T>(d.rows * d.chunk * d.positions);
  auto product = buffer<T>(d.chunk > 1 ? d.output * d.chunk : 0);
  for (std::int64_t n0 = 0; n0 < g.batch; n0 += d.chunk) {
    const std::int64_t count = std::min(d.chunk, g.batch - n0), width = count * d.positions;
    im2col(x + n0 * d.image, count, g.patch, columns.get());
    // A single image's product already has the output layout.
    T* target = count == 1 ? y + n0 * d.output : product.get();
    gemm(false, false, d.out_channels, width, d.rows, T(1), w, d.rows, columns.get(), width, T(0), target, width);
    if (count > 1) gemm_to_images(product.get(), count, d.out_channels, d.positions, y + n0 * d.output);
  }
}

template <class T>
void backward_data_typed(const T* grad_y, const T* w, const ConvGeometry& g, T* grad_x) {
  const Dims d(g);
  auto columns = buffer<T>(d.rows * d.chunk * d.positions);
  auto packed = buffer<T>(d.chunk > 1 ? d.output * d.chunk : 0);
  for (std::int64_t n0 = 0; n0 < g.batch; n0 += d.chunk) {
    const std::int64_t count = std::min(d.chunk, g.batch - n0), width = count * d.positions;
    const T* gy = grad_y + n0 * d.output;
    if (count > 1) {
      images_to_gemm(gy, count, d.out_channels, d.positions, packed.get());
      gy = packed.get();
    }
    gemm(true, false, d.rows, width, d.out_channels, T(1), w, d.rows, gy, width, T(0), columns.get(), width);
    col2im(columns.get(), count, g.patch, grad_x + n0 * d.image);
  }
}

template <class T>
void backward_weight_typed(const T* x, const T* grad_y, const ConvGeometry& g, T* grad_w) {
  const Dims d(g);
  std::fill(grad_w, grad_w + d.out_channels * d.rows, T(0));
  auto columns = buffer<T>(d.rows * d.chunk * d.positions);
  auto packed = buffer<T>(d.chunk > 1 ? d.output * d.chunk : 0);
  for (std::int64_t n0 = 0; n0 < g.batch; n0 += d.chunk) {
    const std::int64_t count = std::min(d.chunk, g.batch - n0), width = count * d.positions;
    im2col(x + n0 * d.image, count, g.patch, columns.get());
    const T* gy = grad_y + n0 * d.output;
    if (count > 1) {
      images_to_gemm(gy, count, d.out_channels, d.positions, packed.get());
      gy = packed.get();
    }
    gemm(false, true, d.out_channels, d.rows, width, T(1), gy, width, columns.get(), width, T(1), grad_w, d.rows);
  }
}

}  // namespace

void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, const ConvGeometry& g, const Tensor& y) {
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    forward_typed(x.data<T>(), w.data<T>(), g, y.data<T>());
  });
  if (b.defined()) add_channel_bias(y, b);
}

void conv2d_backward_data(const Tensor& grad_y, const Tensor& w, const ConvGeometry& g, const Tensor& grad_x) {
  visit_dtype(grad_x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    backward_data_typed(grad_y.data<T>(), w.data<T>(), g, grad_x.data<T>());
  });
}

void conv2d_backward_weight(const Tensor& x, const Tensor& grad_y, const ConvGeometry& g,
                            const Tensor& grad_w) {
  visit_dtype(grad_w.dtype(), [&](auto tag) {
    using T = decltype(tag);
    backward_weight_typed(x.data<T>(), grad_y.data<T>(), g, grad_w.data<T>());
  });
}

void add_channel_bias(const Tensor& y, const Tensor& b) {
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* out = y.data<T>();
    const T* bias = b.data<T>();
    const std::int64_t channels = y.size(1), plane = y.size(2) * y.size(3), planes = y.size(0) * channels;
#pragma omp parallel for schedule(static) if (y.numel() >= kParallelGrain)
    for (std::int64_t t = 0; t < planes; ++t) {
      const T v = bias[t % channels];
      T* p = out + t * plane;
      for (std::int64_t i = 0; i < plane; ++i) p[i] += v;
    }
  });
}

}  // namespace nn::cpu
