#include "nn/tensor.hpp"

#include <atomic>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "memory/device_memory.hpp"
#include "nn/autograd.hpp"
#include "nn/error.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "tensor_impl.hpp"

namespace nn {
namespace {
std::atomic<bool> g_poison{false};
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

Storage::Storage(std::size_t nbytes, Device dev) : data(memory::allocate(nbytes, dev)), bytes(nbytes), device(dev) {
  if (!g_poison) return;
  try {
    memory::poison(data, nbytes, dev);
  } catch (...) {
    memory::deallocate(data, dev);
    throw;
  }
}

Storage::~Storage() { memory::deallocate(data, device); }

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
std::size_t Tensor::offset_bytes() const { return impl_->offset_bytes; }
bool Tensor::shares_storage(const Tensor& other) const { return impl_->storage == other.impl_->storage; }

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
  detail::check_device("empty", opts.device());
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::make_shared<Storage>(static_cast<std::size_t>(shape_numel(shape)) * dtype_size(opts.dtype()),
                                            opts.device());
  impl->shape = shape;
  impl->dtype = opts.dtype();
  impl->requires_grad = opts.requires_grad();
  return Tensor(impl);
}

}  // namespace nn
