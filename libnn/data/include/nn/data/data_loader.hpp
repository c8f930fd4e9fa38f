#pragma once
// Batches from an in-memory dataset of 8-bit images and float labels:
// shuffled per epoch from the run's seed, converted to tensors on the target
// device, prepared one batch ahead on a background thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/tensor.hpp"

namespace nn::data {

struct Batch {
  Tensor images;                      // [B,C,H,W], values in [low, high]
  Tensor labels;                      // [B,label_count]
  std::vector<std::int64_t> indices;  // which samples, in batch order
};

class DataLoaderOptions {
 public:
  DataLoaderOptions& batch_size(std::int64_t v) { batch_size_ = v; return *this; }
  DataLoaderOptions& shuffle(bool v) { shuffle_ = v; return *this; }
  DataLoaderOptions& drop_last(bool v) { drop_last_ = v; return *this; }
  DataLoaderOptions& seed(std::uint64_t v) { seed_ = v; return *this; }
  // Pixel 0 becomes `low`, pixel 255 `high`.
  DataLoaderOptions& range(double low, double high) { low_ = low; high_ = high; return *this; }
  // The batches' dtype and device (requires_grad must stay off).
  DataLoaderOptions& tensor_options(TensorOptions v) { tensor_options_ = v; return *this; }

  std::int64_t batch_size() const { return batch_size_; }
  bool shuffle() const { return shuffle_; }
  bool drop_last() const { return drop_last_; }
  std::uint64_t seed() const { return seed_; }
  double low() const { return low_; }
  double high() const { return high_; }
  const TensorOptions& tensor_options() const { return tensor_options_; }

 private:
  std::int64_t batch_size_ = 64;
  bool shuffle_ = true, drop_last_ = false;
  std::uint64_t seed_ = 0;
  double low_ = -1.0, high_ = 1.0;
  TensorOptions tensor_options_ = {};
};

class DataLoader {
 public:
  DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options);
  ~DataLoader();
  DataLoader(const DataLoader&) = delete;
  DataLoader& operator=(const DataLoader&) = delete;

  // Starts epoch `epoch` (its order depends only on seed and epoch).
  void start_epoch(std::int64_t epoch);
  // The next batch of the current epoch, or nullopt when it is over.
  std::optional<Batch> next();
  std::int64_t batches_per_epoch() const;
  const Dataset& dataset() const;

 private:
  // The order, the worker thread and the batch it prepared.
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace nn::data
