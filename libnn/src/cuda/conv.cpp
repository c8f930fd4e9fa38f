// cuDNN convolutions with the CPU's contract (cpu/conv.hpp). libnn pads each
// side on its own, cuDNN symmetrically: geometry/conv_padding.hpp maps one
// onto the other, through a zero-padded copy of the input where it has to.
// Algorithms come from conv_algorithms (found once per problem), workspaces
// and padded copies from the caching allocator; all work is queued on the
// device's stream, to which the cuDNN handle is bound. Stride-1 convolutions
// with at most four output channels skip cuDNN for the direct kernels of
// kernels/narrow_conv.cu, which read the padding in place.
#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "cuda/allocator.hpp"
#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/context.hpp"
#include "cuda/conv_algorithms.hpp"
#include "cuda/cudnn_descriptors.hpp"
#include "cuda/math_mode.hpp"
#include "geometry/conv_padding.hpp"
#include "narrow_conv_cuda.hpp"
#include "nn/error.hpp"

namespace nn::cuda_backend {
namespace {

// cuDNN's descriptors take int sizes and its tensors hold fewer than 2^31 elements.
int to_int(const char* op, std::int64_t value) {
  if (value < 0 || value > INT_MAX)
    throw Error(std::string(op) + ": size " + std::to_string(value) + " is beyond what cuDNN accepts (" +
                std::to_string(INT_MAX) + ")");
  return static_cast<int>(value);
}

void zero(const Tensor& t, cudaStream_t stream) { NN_CUDA_CHECK(cudaMemsetAsync(t.raw_data(), 0, t.nbytes(), stream)); }

// Alignments beyond this one make no difference to any algorithm.
constexpr int kMaxAlignment = 256;

// The largest power of two, up to kMaxAlignment, that divides the address.
int alignment(const void* p) {
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  int a = 1;
  while (a < kMaxAlignment && address % static_cast<std::uintptr_t>(2 * a) == 0) a *= 2;
  return a;
}

// The problem in the direct kernels' terms, when they take it.
std::optional<kernels::NarrowConvGeometry> narrow_geometry(const geometry::ConvGeometry& g) {
  const geometry::PatchGeometry& p = g.patch;
  if (p.stride_h != 1 || p.stride_w != 1 || g.out_channels > kernels::kNarrowMaxOutChannels) return std::nullopt;
  for (std::int64_t v : {g.batch, p.channels, p.in_h, p.in_w, p.out_h, p.out_w, p.kernel_h, p.kernel_w,
                         g.batch * p.channels * p.in_h * p.in_w, g.batch * g.out_channels * p.out_h * p.out_w})
    if (v > INT_MAX) return std::nullopt;
  if (p.pad_top > INT_MAX || p.pad_left > INT_MAX) return std::nullopt;
  const auto i = [](std::int64_t v) { return static_cast<int>(v); };
  const kernels::NarrowConvGeometry n{i(g.batch),  i(p.channels), i(p.in_h),     i(p.in_w),
                                      i(g.out_channels), i(p.out_h), i(p.out_w), i(p.kernel_h),
                                      i(p.kernel_w), i(p.pad_top), i(p.pad_left)};
  if (!kernels::narrow_conv_fits(n)) return std::nullopt;
  return n;
}

// The sizes cuDNN sees for a libnn convolution, checked to fit its ints.
struct CudnnShape {
  geometry::CudnnAxis rows, cols;
  int batch, channels, in_h, in_w, extent_h, extent_w;
  int out_channels, kernel_h, kernel_w, out_h, out_w;
  int pad_h, pad_w, stride_h, stride_w;
};

CudnnShape cudnn_shape(const char* op, const geometry::ConvGeometry& g) {
  const geometry::PatchGeometry& p = g.patch;
  CudnnShape s{};
  s.rows = geometry::cudnn_axis({p.in_h, p.out_h, p.kernel_h, p.stride_h, p.pad_top});
  s.cols = geometry::cudnn_axis({p.in_w, p.out_w, p.kernel_w, p.stride_w, p.pad_left});
  to_int(op, g.batch * p.channels * s.rows.extent * s.cols.extent);
  to_int(op, g.batch * p.channels * p.in_h * p.in_w);
  to_int(op, g.batch * g.out_channels * p.out_h * p.out_w);
  to_int(op, g.out_channels * p.rows());
  s.batch = to_int(op, g.batch);
  s.channels = to_int(op, p.channels);
  s.in_h = to_int(op, p.in_h);
  s.in_w = to_int(op, p.in_w);
  s.extent_h = to_int(op, s.rows.extent);
  s.extent_w = to_int(op, s.cols.extent);
  s.out_channels = to_int(op, g.out_channels);
  s.kernel_h = to_int(op, p.kernel_h);
  s.kernel_w = to_int(op, p.kernel_w);
  s.out_h = to_int(op, p.out_h);
  s.out_w = to_int(op, p.out_w);
  s.pad_h = to_int(op, s.rows.pad);
  s.pad_w = to_int(op, s.cols.pad);
  s.stride_h = to_int(op, p.stride_h);
  s.stride_w = to_int(op, p.stride_w);
  return s;
}

// A libnn convolution as cuDNN runs it: the input cuDNN reads ([N, C,
// extent_h, extent_w], x itself unless an axis is copied), the filter, the
// symmetric padding and the output [N, O, out_h, out_w].
class CudnnConv {
 public:
  CudnnConv(const char* op, const geometry::ConvGeometry& g, Dtype dtype, int device, cudaStream_t stream)
      : op_(op),
        s_(cudnn_shape(op, g)),
        dtype_(dtype),
        device_(device),
        stream_(stream),
        handle_(context(device).cudnn),
        math_(cudnn_math_type(dtype)),
        input_(dtype, s_.batch, s_.channels, s_.extent_h, s_.extent_w),
        filter_(dtype, s_.out_channels, s_.channels, s_.kernel_h, s_.kernel_w),
        conv_(dtype, s_.pad_h, s_.pad_w, s_.stride_h, s_.stride_w, math_),
        output_(dtype, s_.batch, s_.out_channels, s_.out_h, s_.out_w) {}

  bool copied() const { return s_.rows.copied || s_.cols.copied; }
  std::size_t copy_bytes() const {
    return static_cast<std::size_t>(s_.batch) * static_cast<std::size_t>(s_.channels) *
           static_cast<std::size_t>(s_.extent_h) * static_cast<std::size_t>(s_.extent_w) * dtype_size(dtype_);
  }

  // padded = x in a zeroed buffer, input row i at row i + rows.offset and
  // likewise for columns.
  void pad(const Tensor& x, void* padded) const {
    NN_CUDA_CHECK(cudaMemsetAsync(padded, 0, copy_bytes(), stream_));
    transform(x.raw_data(), s_.in_h, s_.in_w, 0, padded, s_.extent_h, s_.extent_w, window_start());
  }

  // grad_x = the adjoint of pad: each input pixel's gradient is that of its
  // place in the copy, zero for rows or columns the copy does not hold.
  void crop(void* padded, const Tensor& grad_x) const {
    if (s_.rows.held < s_.in_h || s_.cols.held < s_.in_w) zero(grad_x, stream_);
    transform(padded, s_.extent_h, s_.extent_w, window_start(), grad_x.raw_data(), s_.in_h, s_.in_w, 0);
  }

  // One pass in the forward convolution's terms (see ConvOperands), with
  // beta = 0: the pass's output is overwritten.
  void run(ConvPass pass, void* x, void* w, void* y) const {
    const ConvOperands operands{handle_, input_.get(), x, filter_.get(), w, conv_.get(), output_.get(), y};
    const ConvAlgorithm algorithm = conv_algorithm(op_, key(pass, {x, w, y}), operands);
    const DeviceBuffer workspace(algorithm.workspace, device_);
    void* ws = workspace.as<void>();
    const CudnnScalar one(dtype_, 1.0), nothing(dtype_, 0.0);
    switch (pass) {
      case ConvPass::forward:
        NN_CUDNN_CHECK(cudnnConvolutionForward(handle_, one.get(), input_.get(), x, filter_.get(), w, conv_.get(),
                                               static_cast<cudnnConvolutionFwdAlgo_t>(algorithm.algo), ws,
                                               algorithm.workspace, nothing.get(), output_.get(), y));
        break;
      case ConvPass::backward_data:
        NN_CUDNN_CHECK(cudnnConvolutionBackwardData(handle_, one.get(), filter_.get(), w, output_.get(), y,
                                                    conv_.get(),
                                                    static_cast<cudnnConvolutionBwdDataAlgo_t>(algorithm.algo), ws,
                                                    algorithm.workspace, nothing.get(), input_.get(), x));
        break;
      case ConvPass::backward_filter:
        NN_CUDNN_CHECK(cudnnConvolutionBackwardFilter(
            handle_, one.get(), input_.get(), x, output_.get(), y, conv_.get(),
            static_cast<cudnnConvolutionBwdFilterAlgo_t>(algorithm.algo), ws, algorithm.workspace, nothing.get(),
            filter_.get(), w));
        break;
    }
  }

 private:
  ConvKey key(ConvPass pass, std::initializer_list<const void*> operands) const {
    ConvKey k;
    k.pass = pass;
    k.device = device_;
    k.dtype = dtype_;
    k.math = math_;
    k.deterministic = deterministic();
    k.batch = s_.batch;
    k.in_channels = s_.channels;
    k.in_h = s_.extent_h;
    k.in_w = s_.extent_w;
    k.out_channels = s_.out_channels;
    k.kernel_h = s_.kernel_h;
    k.kernel_w = s_.kernel_w;
    k.pad_h = s_.pad_h;
    k.pad_w = s_.pad_w;
    k.stride_h = s_.stride_h;
    k.stride_w = s_.stride_w;
    k.alignment = kMaxAlignment;
    for (const void* p : operands) k.alignment = std::min(k.alignment, alignment(p));
    return k;
  }

  // Elements from the start of the copy to input pixel (0, 0).
  std::size_t window_start() const {
    return static_cast<std::size_t>(s_.rows.offset) * static_cast<std::size_t>(s_.extent_w) +
           static_cast<std::size_t>(s_.cols.offset);
  }

  // Copies the held window [N, C, rows.held, cols.held] between two planar
  // layouts of [N, C, *_rows, *_cols]; `*_start` are element offsets of the
  // window's first pixel.
  void transform(const void* src, int src_rows, int src_cols, std::size_t src_start, void* dst, int dst_rows,
                 int dst_cols, std::size_t dst_start) const {
    const int held_h = static_cast<int>(s_.rows.held), held_w = static_cast<int>(s_.cols.held);
    if (held_h == 0 || held_w == 0) return;
    const TensorDescriptor from(dtype_, s_.batch, s_.channels, held_h, held_w, src_rows, src_cols);
    const TensorDescriptor to(dtype_, s_.batch, s_.channels, held_h, held_w, dst_rows, dst_cols);
    const CudnnScalar one(dtype_, 1.0), nothing(dtype_, 0.0);
    const std::size_t element = dtype_size(dtype_);
    NN_CUDNN_CHECK(cudnnTransformTensor(handle_, one.get(), from.get(),
                                        static_cast<const std::byte*>(src) + src_start * element, nothing.get(),
                                        to.get(), static_cast<std::byte*>(dst) + dst_start * element));
  }

  const char* op_;
  CudnnShape s_;
  Dtype dtype_;
  int device_;
  cudaStream_t stream_;
  cudnnHandle_t handle_;
  cudnnMathType_t math_;
  TensorDescriptor input_;
  FilterDescriptor filter_;
  ConvolutionDescriptor conv_;
  TensorDescriptor output_;
};

}  // namespace

void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, const geometry::ConvGeometry& g,
                    const Tensor& y) {
  if (y.numel() == 0) return;
  const int device = y.device().index;
  const DeviceScope scope(device);
  if (x.numel() == 0) {
    // Every output reads padding only.
    zero(y, scope.stream());
  } else if (const auto n = narrow_geometry(g)) {
    visit_dtype(y.dtype(), [&](auto tag) {
      using T = decltype(tag);
      kernels::narrow_conv_forward_cuda(x.data<T>(), w.data<T>(), *n, y.data<T>(), scope.stream());
    });
  } else {
    const CudnnConv conv("conv2d_forward", g, y.dtype(), device, scope.stream());
    const DeviceBuffer padded(conv.copied() ? conv.copy_bytes() : 0, device);
    if (conv.copied()) conv.pad(x, padded.as<void>());
    conv.run(ConvPass::forward, conv.copied() ? padded.as<void>() : x.raw_data(), w.raw_data(), y.raw_data());
  }
  if (b.defined()) add_channel_bias(y, b);
}

void conv2d_backward_data(const Tensor& grad_y, const Tensor& w, const geometry::ConvGeometry& g,
                          const Tensor& grad_x) {
  if (grad_x.numel() == 0) return;
  const int device = grad_x.device().index;
  const DeviceScope scope(device);
  if (grad_y.numel() == 0) return zero(grad_x, scope.stream());
  if (const auto n = narrow_geometry(g)) {
    return visit_dtype(grad_x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      kernels::narrow_conv_backward_data_cuda(grad_y.data<T>(), w.data<T>(), *n, grad_x.data<T>(), scope.stream());
    });
  }
  const CudnnConv conv("conv2d_backward_data", g, grad_x.dtype(), device, scope.stream());
  if (!conv.copied()) return conv.run(ConvPass::backward_data, grad_x.raw_data(), w.raw_data(), grad_y.raw_data());
  const DeviceBuffer padded(conv.copy_bytes(), device);
  conv.run(ConvPass::backward_data, padded.as<void>(), w.raw_data(), grad_y.raw_data());
  conv.crop(padded.as<void>(), grad_x);
}

void conv2d_backward_weight(const Tensor& x, const Tensor& grad_y, const geometry::ConvGeometry& g,
                            const Tensor& grad_w) {
  if (grad_w.numel() == 0) return;
  const int device = grad_w.device().index;
  const DeviceScope scope(device);
  if (x.numel() == 0 || grad_y.numel() == 0) return zero(grad_w, scope.stream());
  if (const auto n = narrow_geometry(g)) {
    const DeviceBuffer scratch(kernels::narrow_conv_backward_weight_scratch(*n, dtype_size(grad_w.dtype())), device);
    return visit_dtype(grad_w.dtype(), [&](auto tag) {
      using T = decltype(tag);
      kernels::narrow_conv_backward_weight_cuda(x.data<T>(), grad_y.data<T>(), *n, grad_w.data<T>(),
                                                scratch.as<void>(), scope.stream());
    });
  }
  const CudnnConv conv("conv2d_backward_weight", g, grad_w.dtype(), device, scope.stream());
  const DeviceBuffer padded(conv.copied() ? conv.copy_bytes() : 0, device);
  if (conv.copied()) conv.pad(x, padded.as<void>());
  conv.run(ConvPass::backward_filter, conv.copied() ? padded.as<void>() : x.raw_data(), grad_w.raw_data(),
           grad_y.raw_data());
}

void add_channel_bias(const Tensor& y, const Tensor& b) {
  if (y.numel() == 0) return;
  constexpr const char* op = "add_channel_bias";
  const DeviceScope scope(y.device().index);
  const Dtype dtype = y.dtype();
  const TensorDescriptor bias(dtype, 1, to_int(op, y.size(1)), 1, 1);
  const TensorDescriptor out(dtype, to_int(op, y.size(0)), to_int(op, y.size(1)), to_int(op, y.size(2)),
                             to_int(op, y.size(3)));
  to_int(op, y.numel());
  const CudnnScalar one(dtype, 1.0);
  NN_CUDNN_CHECK(cudnnAddTensor(context(y.device().index).cudnn, one.get(), bias.get(), b.raw_data(), one.get(),
                                out.get(), y.raw_data()));
}

}  // namespace nn::cuda_backend
