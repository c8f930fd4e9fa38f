#pragma once
// The inside of an nn::Tensor, for libnn's own sources: the storage a tensor
// views and the autograd state it carries. The public header holds only a
// handle (Tensor::impl()) to it.
#include <cstddef>
#include <memory>

#include "nn/tensor.hpp"

namespace nn {

// A block of memory on one device, shared by every view of it.
struct Storage {
  // Fresh memory from memory::allocate, poisoned while set_poison_allocations is on.
  Storage(std::size_t bytes, Device device);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data = nullptr;
  std::size_t bytes = 0;
  Device device;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  std::size_t offset_bytes = 0;
  Shape shape;
  Dtype dtype = Dtype::f32;
  bool requires_grad = false;
  Tensor grad;
  std::shared_ptr<Node> grad_fn;
};

}  // namespace nn
