#include "nn/tensor.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <limits>
#include <new>
#include <ostream>
#include <sstream>

#include "cpu/fill.hpp"
#include "cuda/backend.hpp"
#include "nn/autograd.hpp"
#include "nn/error.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"

namespace nn {
namespace {
std::atomic<bool> g_poison{false};
constexpr std::size_t kAlignment = 64;
}  // namespace

void set_poison_allocations(bool on) { g_poison = on; }

std::string shape_str(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::int64_t shape_numel(const Shape& shape) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

Storage::Storage(std::size_t nbytes, Device dev) : bytes(nbytes), device(dev) {
  if (dev.is_cuda()) {
    if constexpr (cuda_backend::compiled) {
      data = cuda_backend::allocate(nbytes, dev.index);
      if (!g_poison) return;
      try {
        cuda_backend::poison(data, nbytes, dev.index);
      } catch (...) {
        cuda_backend::deallocate(data, dev.index);
        throw;
      }
      return;
    } else {
      detail::no_cuda_backend("Storage", dev);
    }
  }
  const std::size_t rounded = (std::max<std::size_t>(nbytes, 1) + kAlignment - 1) / kAlignment * kAlignment;
  data = std::aligned_alloc(kAlignment, rounded);
  if (!data) throw Error("Storage: out of host memory allocating " + std::to_string(nbytes) + " bytes");
  if (g_poison) {
    // All-ones bytes are a NaN in both f32 and f64.
    std::memset(data, 0xff, rounded);
  }
}

Storage::~Storage() {
  if (!device.is_cuda()) {
    std::free(data);
  } else if constexpr (cuda_backend::compiled) {
    cuda_backend::deallocate(data, device.index);
  }
}

const Shape& Tensor::shape() const { return impl_->shape; }

std::int64_t Tensor::size(std::int64_t d) const {
  const std::int64_t n = dim();
  const std::int64_t k = d < 0 ? d + n : d;
  if (k < 0 || k >= n)
    throw Error("Tensor::size: dimension " + std::to_string(d) + " out of range for " + shape_str(shape()));
  return shape()[static_cast<std::size_t>(k)];
}

std::int64_t Tensor::numel() const { return shape_numel(shape()); }
Dtype Tensor::dtype() const { return impl_->dtype; }
Device Tensor::device() const { return impl_->storage->device; }
TensorOptions Tensor::options() const { return TensorOptions().dtype(dtype()).device(device()); }
void* Tensor::raw_data() const { return static_cast<char*>(impl_->storage->data) + impl_->offset_bytes; }
const std::shared_ptr<Storage>& Tensor::storage() const { return impl_->storage; }
std::size_t Tensor::offset_bytes() const { return impl_->offset_bytes; }

void Tensor::check_type(Dtype wanted) const {
  if (!defined()) throw Error("Tensor::data: undefined tensor");
  if (wanted != dtype())
    throw Error("Tensor::data: asked for " + dtype_name(wanted) + " but the tensor " + shape_str(shape()) +
                " holds " + dtype_name(dtype()));
}

Tensor Tensor::to(Device dev) const {
  if (dev == device()) return *this;
  detail::check_device("Tensor::to", dev);
  Tensor out = empty(shape(), options().device(dev));
  copy_(out, *this);
  return record(out, "to_device", {*this}, [src = device()](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{g.to(src)};
  });
}

Tensor Tensor::to(Dtype dt) const {
  if (dt == dtype()) return *this;
  Tensor out = empty(shape(), options().dtype(dt));
  copy_(out, *this);
  return record(out, "to_dtype", {*this}, [src = dtype()](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{g.to(src)};
  });
}

Tensor Tensor::clone() const {
  Tensor out = empty(shape(), options());
  copy_(out, *this);
  return record(out, "clone", {*this},
                [](const Tensor& g, const std::vector<bool>&) { return std::vector<Tensor>{g}; });
}

Tensor Tensor::reshape(const Shape& new_shape) const { return nn::reshape(*this, new_shape); }

Tensor Tensor::slice_batch(std::int64_t begin, std::int64_t end) const {
  if (dim() < 1 || begin < 0 || end > shape()[0] || begin > end)
    throw Error("Tensor::slice_batch: rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                ") out of range for " + shape_str(shape()));
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = impl_->storage;
  impl->dtype = impl_->dtype;
  impl->shape = shape();
  impl->shape[0] = end - begin;
  const std::int64_t row = shape()[0] ? numel() / shape()[0] : 0;
  impl->offset_bytes = impl_->offset_bytes + static_cast<std::size_t>(begin * row) * dtype_size(dtype());
  Tensor view(impl);
  const Shape full_shape = shape();
  return record(view, "slice_batch", {*this},
                [full_shape, begin, end](const Tensor& g, const std::vector<bool>&) {
                  Tensor gx = zeros(full_shape, g.options());
                  copy_(gx.slice_batch(begin, end), g);
                  return std::vector<Tensor>{gx};
                });
}

double Tensor::item() const {
  if (numel() != 1) throw Error("Tensor::item: tensor " + shape_str(shape()) + " has more than one element");
  return to_vector<double>()[0];
}

template <class T>
std::vector<T> Tensor::to_vector() const {
  std::vector<T> out(static_cast<std::size_t>(numel()));
  const Tensor host = detach().to(Device::cpu());
  visit_dtype(dtype(), [&](auto tag) {
    using S = decltype(tag);
    const S* x = host.data<S>();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<T>(x[i]);
  });
  return out;
}
template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;

bool Tensor::requires_grad() const { return impl_->requires_grad; }

Tensor& Tensor::set_requires_grad(bool r) {
  if (impl_->grad_fn)
    throw Error("Tensor::set_requires_grad: only leaf tensors can be marked; this one comes from " +
                std::string("an op (detach() it first)"));
  impl_->requires_grad = r;
  return *this;
}

bool Tensor::is_leaf() const { return impl_->grad_fn == nullptr; }
Tensor Tensor::grad() const { return impl_->grad; }

void Tensor::set_grad(const Tensor& g) const {
  if (g.defined() && (g.shape() != shape() || g.dtype() != dtype()))
    throw Error("Tensor::set_grad: gradient " + shape_str(g.shape()) + " " + dtype_name(g.dtype()) +
                " does not match tensor " + shape_str(shape()) + " " + dtype_name(dtype()));
  impl_->grad = g;
}

void Tensor::zero_grad() const { impl_->grad = Tensor(); }

Tensor Tensor::detach() const {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = impl_->storage;
  impl->offset_bytes = impl_->offset_bytes;
  impl->shape = impl_->shape;
  impl->dtype = impl_->dtype;
  return Tensor(impl);
}

const std::shared_ptr<Node>& Tensor::grad_fn() const { return impl_->grad_fn; }

std::string Tensor::str() const {
  std::ostringstream os;
  os << *this;
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "Tensor(undefined)";
  os << "Tensor(" << shape_str(t.shape()) << ", " << dtype_name(t.dtype()) << ", " << t.device().str();
  if (t.requires_grad()) os << ", requires_grad";
  os << ")\n";
  const std::vector<double> v = t.to_vector<double>();
  const std::int64_t last = t.dim() ? t.shape().back() : 1;
  constexpr std::size_t kMaxShown = 64;
  std::ostringstream body;
  body << std::setprecision(t.dtype() == Dtype::f32 ? 6 : 10);
  for (std::size_t i = 0; i < v.size() && i < kMaxShown; ++i) {
    body << (i % static_cast<std::size_t>(last) == 0 ? (i ? "\n  " : "  ") : " ") << v[i];
  }
  if (v.size() > kMaxShown) body << " ... (" << v.size() - kMaxShown << " more)";
  return os << body.str();
}

Tensor empty(const Shape& shape, TensorOptions opts) {
  for (auto d : shape)
    if (d < 0) throw Error("empty: negative dimension in shape " + shape_str(shape));
  detail::check_device("empty", opts.device_);
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::make_shared<Storage>(static_cast<std::size_t>(shape_numel(shape)) * dtype_size(opts.dtype_),
                                            opts.device_);
  impl->shape = shape;
  impl->dtype = opts.dtype_;
  impl->requires_grad = opts.requires_grad_;
  return Tensor(impl);
}

Tensor full(const Shape& shape, double value, TensorOptions opts) {
  Tensor t = empty(shape, opts);
  if (t.device().is_cpu()) cpu::fill(t, value);
  else if constexpr (cuda_backend::compiled) cuda_backend::fill(t, value);
  else detail::no_cuda_backend("full", t.device());
  return t;
}

Tensor zeros(const Shape& shape, TensorOptions opts) { return full(shape, 0.0, opts); }
Tensor ones(const Shape& shape, TensorOptions opts) { return full(shape, 1.0, opts); }
Tensor scalar(double value, TensorOptions opts) { return full({}, value, opts); }

Tensor arange(std::int64_t n, TensorOptions opts) {
  Tensor t = empty({n}, opts);
  if (t.device().is_cpu()) cpu::fill_arange(t);
  else if constexpr (cuda_backend::compiled) cuda_backend::fill_arange(t);
  else detail::no_cuda_backend("arange", t.device());
  return t;
}

Tensor uniform(const Shape& shape, double low, double high, TensorOptions opts) {
  Tensor t = empty(shape, opts);
  const RandomState rs = reserve_random(static_cast<std::uint64_t>(t.numel()));
  if (t.device().is_cpu()) cpu::fill_uniform(t, low, high, rs);
  else if constexpr (cuda_backend::compiled) cuda_backend::fill_uniform(t, low, high, rs);
  else detail::no_cuda_backend("uniform", t.device());
  return t;
}

Tensor normal(const Shape& shape, double mean, double stddev, TensorOptions opts) {
  Tensor t = empty(shape, opts);
  const RandomState rs = reserve_random(2 * static_cast<std::uint64_t>(t.numel()));
  if (t.device().is_cpu()) cpu::fill_normal(t, mean, stddev, rs);
  else if constexpr (cuda_backend::compiled) cuda_backend::fill_normal(t, mean, stddev, rs);
  else detail::no_cuda_backend("normal", t.device());
  return t;
}

template <class T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape, TensorOptions opts) {
  if (static_cast<std::int64_t>(values.size()) != shape_numel(shape))
    throw Error("from_vector: " + std::to_string(values.size()) + " values do not fill shape " + shape_str(shape));
  const bool wants_grad = opts.requires_grad_;
  Tensor t = empty(shape, opts.requires_grad(false));
  const Tensor host = t.device().is_cpu() ? t : empty(shape, TensorOptions().dtype(t.dtype()));
  visit_dtype(t.dtype(), [&](auto tag) {
    using D = decltype(tag);
    D* y = host.data<D>();
    for (std::size_t i = 0; i < values.size(); ++i) y[i] = static_cast<D>(values[i]);
  });
  if (!t.device().is_cpu()) copy_(t, host);
  t.set_requires_grad(wants_grad);
  return t;
}
template Tensor from_vector<float>(const std::vector<float>&, const Shape&, TensorOptions);
template Tensor from_vector<double>(const std::vector<double>&, const Shape&, TensorOptions);

}  // namespace nn
