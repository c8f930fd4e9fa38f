#pragma once
// Batches from an in-memory dataset of 8-bit images and float labels:
// shuffled per epoch from the run's seed, converted to tensors on the target
// device, prepared one batch ahead on a background thread.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "nn/tensor.hpp"

namespace nn {

// N samples, each an 8-bit image [C,H,W] and `label_count` float labels.
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual std::int64_t size() const = 0;
  virtual Shape image_shape() const = 0;  // [C,H,W]
  virtual std::int64_t label_count() const = 0;
  // Copies sample i into the given buffers (C*H*W bytes, label_count floats).
  virtual void read(std::int64_t i, std::uint8_t* image, float* labels) const = 0;
};

struct Batch {
  Tensor images;                      // [B,C,H,W], values in [low, high]
  Tensor labels;                      // [B,label_count]
  std::vector<std::int64_t> indices;  // which samples, in batch order
};

struct DataLoaderOptions {
  std::int64_t batch_size_ = 64;
  bool shuffle_ = true, drop_last_ = false;
  std::uint64_t seed_ = 0;
  double low_ = -1.0, high_ = 1.0;
  TensorOptions tensor_options_ = {};

  DataLoaderOptions& batch_size(std::int64_t v) { batch_size_ = v; return *this; }
  DataLoaderOptions& shuffle(bool v) { shuffle_ = v; return *this; }
  DataLoaderOptions& drop_last(bool v) { drop_last_ = v; return *this; }
  DataLoaderOptions& seed(std::uint64_t v) { seed_ = v; return *this; }
  DataLoaderOptions& range(double low, double high) { low_ = low; high_ = high; return *this; }
  DataLoaderOptions& tensor_options(TensorOptions v) { tensor_options_ = v; return *this; }
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
  const Dataset& dataset() const { return *dataset_; }

 private:
  // Batch `index` of the current order; nullopt when stopping_ interrupts it.
  std::optional<Batch> assemble(std::int64_t index) const;
  void work();
  void stop_worker();

  std::shared_ptr<const Dataset> dataset_;
  DataLoaderOptions options_;
  bool started_ = false;
  std::vector<std::int64_t> order_;
  std::int64_t next_batch_ = 0;
  std::thread worker_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Batch> prepared_;
  std::exception_ptr error_;
};

}  // namespace nn
