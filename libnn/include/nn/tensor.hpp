#pragma once
// nn::Tensor: an n-d array of f32 or f64 on one device, contiguous in row-major
// (NCHW for images) order. A tensor is a cheap handle: copies share the data.
// Views (reshape, batch slices) share storage and differ in shape and offset.
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "nn/device.hpp"
#include "nn/dtype.hpp"

namespace nn {

using Shape = std::vector<std::int64_t>;
std::string shape_str(const Shape& shape);
std::int64_t shape_numel(const Shape& shape);

// What a new tensor is made of: read with dtype(), device(), requires_grad();
// set with the same names, which chain: TensorOptions().dtype(Dtype::f64).device(d).
class TensorOptions {
 public:
  Dtype dtype() const { return dtype_; }
  Device device() const { return device_; }
  bool requires_grad() const { return requires_grad_; }

  TensorOptions& dtype(Dtype d) { dtype_ = d; return *this; }
  TensorOptions& device(Device d) { device_ = d; return *this; }
  TensorOptions& requires_grad(bool r) { requires_grad_ = r; return *this; }

 private:
  Dtype dtype_ = Dtype::f32;
  Device device_ = Device::cpu();
  bool requires_grad_ = false;
};

// The storage and autograd state behind a Tensor, private to libnn.
struct TensorImpl;
class Node;

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  std::int64_t dim() const { return static_cast<std::int64_t>(shape().size()); }
  // Size of dimension d; negative d counts from the end.
  std::int64_t size(std::int64_t d) const;
  std::int64_t numel() const;
  Dtype dtype() const;
  Device device() const;
  TensorOptions options() const;
  std::size_t nbytes() const { return static_cast<std::size_t>(numel()) * dtype_size(dtype()); }

  // Typed access to the first element; T must match dtype().
  template <class T> T* data() const { check_type(dtype_of<T>()); return static_cast<T*>(raw_data()); }
  void* raw_data() const;
  // Where the first element lies in the storage, in bytes (non-zero for views).
  std::size_t offset_bytes() const;
  // Whether both tensors view the same storage (a view, a detach() or a
  // no-op to() of the other, or the other itself).
  bool shares_storage(const Tensor& other) const;

  // Copies to another device or dtype (a no-op handle copy when nothing changes).
  Tensor to(Device device) const;
  Tensor to(Dtype dtype) const;
  // A fresh contiguous copy with its own storage.
  Tensor clone() const;
  // A view with a new shape; one dimension may be -1.
  Tensor reshape(const Shape& shape) const;
  // A view of rows [begin, end) of dimension 0.
  Tensor slice_batch(std::int64_t begin, std::int64_t end) const;

  // The single value of a one-element tensor, as double.
  double item() const;
  // All values copied to the host, converted to T.
  template <class T> std::vector<T> to_vector() const;

  bool requires_grad() const;
  // Marks a leaf tensor as a parameter whose gradient backward() accumulates.
  Tensor& set_requires_grad(bool requires_grad);
  bool is_leaf() const;
  // The accumulated gradient of a leaf (undefined until a backward pass reaches it).
  Tensor grad() const;
  void set_grad(const Tensor& grad) const;
  void zero_grad() const;
  // Reverse-mode differentiation from this tensor. A non-scalar root needs an
  // explicit gradient. The graph is freed afterwards unless retain_graph.
  void backward(const Tensor& grad = Tensor(), bool retain_graph = false) const;
  // The same data, cut from the graph.
  Tensor detach() const;
  const std::shared_ptr<Node>& grad_fn() const;

  std::string str() const;
  // The handle's target: equal for handles to the same tensor.
  TensorImpl* impl() const { return impl_.get(); }

 private:
  void check_type(Dtype wanted) const;
  std::shared_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

// Creation. Random tensors draw from the global generator (nn/random.hpp).
Tensor empty(const Shape& shape, TensorOptions opts = {});
Tensor zeros(const Shape& shape, TensorOptions opts = {});
Tensor ones(const Shape& shape, TensorOptions opts = {});
Tensor full(const Shape& shape, double value, TensorOptions opts = {});
Tensor scalar(double value, TensorOptions opts = {});
Tensor arange(std::int64_t n, TensorOptions opts = {});
Tensor uniform(const Shape& shape, double low, double high, TensorOptions opts = {});
Tensor normal(const Shape& shape, double mean, double stddev, TensorOptions opts = {});
// Copies host values (converted to opts' dtype) into a new tensor.
template <class T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape, TensorOptions opts = {});

// Testing aid: when on, every new host allocation is filled with NaN so that
// an op that leaves part of its output unwritten is caught.
void set_poison_allocations(bool on);

}  // namespace nn
