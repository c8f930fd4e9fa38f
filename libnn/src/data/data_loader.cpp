#include "nn/data_loader.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <utility>

#include "io/pixel_range.hpp"
#include "nn/error.hpp"
#include "ops/checks.hpp"
#include "philox.hpp"

namespace nn {
namespace {

// The splitmix64 finaliser: spreads every input bit over the whole word, so
// neighbouring (seed, epoch) pairs give unrelated Philox keys.
std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A uniform permutation of 0..n-1 (Fisher-Yates) drawn from the Philox stream
// `key`. Bounded draws reject the lowest 2^32 mod bound values, so every
// index is exactly equally likely.
std::vector<std::int64_t> permutation(std::int64_t n, std::uint64_t key) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  std::uint64_t counter = 0;
  const auto below = [&](std::uint64_t bound) {
    const auto threshold = static_cast<std::uint32_t>((0x100000000ULL - bound) % bound);
    while (true) {
      const std::uint32_t draw = kernels::philox_draw(key, counter++);
      if (draw >= threshold) return static_cast<std::size_t>(draw % bound);
    }
  };
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[below(i)]);
  return order;
}

}  // namespace

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
  constexpr const char* op = "DataLoader";
  if (!dataset_) detail::fail(op, "no dataset given");
  if (options_.batch_size_ < 1) detail::fail(op, "batch size must be positive, got " + std::to_string(options_.batch_size_));
  detail::check_pixel_range(op, options_.low_, options_.high_);
  if (options_.tensor_options_.requires_grad()) detail::fail(op, "batches are data and cannot require grad");
  const Shape shape = dataset_->image_shape();
  if (shape.size() != 3 || shape_numel(shape) < 1 || std::any_of(shape.begin(), shape.end(), [](auto d) { return d < 1; }))
    detail::fail(op, "dataset image shape " + shape_str(shape) + " is not a non-empty [C,H,W]");
  if (dataset_->size() < 0 || dataset_->label_count() < 0)
    detail::fail(op, "dataset reports " + std::to_string(dataset_->size()) + " samples and " +
                         std::to_string(dataset_->label_count()) + " labels");
}

DataLoader::~DataLoader() { stop_worker(); }

std::int64_t DataLoader::batches_per_epoch() const {
  const std::int64_t n = dataset_->size(), b = options_.batch_size_;
  return options_.drop_last_ ? n / b : (n + b - 1) / b;
}

void DataLoader::start_epoch(std::int64_t epoch) {
  if (epoch < 0) detail::fail("DataLoader::start_epoch", "epoch must be non-negative, got " + std::to_string(epoch));
  stop_worker();
  const std::int64_t n = dataset_->size();
  if (options_.shuffle_) {
    if (static_cast<std::uint64_t>(n) > 0x100000000ULL)
      detail::fail("DataLoader::start_epoch", "cannot shuffle " + std::to_string(n) + " samples (at most 2^32)");
    order_ = permutation(n, mix64(mix64(options_.seed_) ^ static_cast<std::uint64_t>(epoch)));
  } else {
    order_.resize(static_cast<std::size_t>(n));
    std::iota(order_.begin(), order_.end(), std::int64_t{0});
  }
  next_batch_ = 0;
  started_ = true;
  if (batches_per_epoch() > 0) worker_ = std::thread(&DataLoader::work, this);
}

std::optional<Batch> DataLoader::next() {
  if (!started_) detail::fail("DataLoader::next", "call start_epoch before asking for batches");
  if (next_batch_ >= batches_per_epoch()) return std::nullopt;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return prepared_.has_value() || error_ != nullptr; });
  if (error_) std::rethrow_exception(error_);
  Batch batch = std::move(*prepared_);
  prepared_.reset();
  lock.unlock();
  changed_.notify_all();
  ++next_batch_;
  return batch;
}

// Runs on the worker thread: assembles each batch of the epoch once the
// previous one has been taken, so exactly one batch is prepared ahead.
void DataLoader::work() {
  const std::int64_t batches = batches_per_epoch();
  for (std::int64_t index = 0; index < batches; ++index) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !prepared_.has_value() || stopping_.load(); });
      if (stopping_) return;
    }
    std::optional<Batch> batch;
    try {
      batch = assemble(index);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      changed_.notify_all();
      return;
    }
    if (!batch) return;
    {
      std::lock_guard lock(mutex_);
      prepared_ = std::move(batch);
    }
    changed_.notify_all();
  }
}

std::optional<Batch> DataLoader::assemble(std::int64_t index) const {
  const Shape sample_shape = dataset_->image_shape();
  const std::int64_t sample_bytes = shape_numel(sample_shape), label_count = dataset_->label_count();
  const std::int64_t begin = index * options_.batch_size_;
  const std::int64_t end = std::min<std::int64_t>(begin + options_.batch_size_, static_cast<std::int64_t>(order_.size()));
  const std::int64_t rows = end - begin;

  const TensorOptions host = TensorOptions().dtype(options_.tensor_options_.dtype());
  Batch batch;
  batch.indices.assign(order_.begin() + begin, order_.begin() + end);
  batch.images = empty({rows, sample_shape[0], sample_shape[1], sample_shape[2]}, host);
  batch.labels = empty({rows, label_count}, host);
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(sample_bytes));
  std::vector<float> labels(static_cast<std::size_t>(label_count));
  const bool complete = visit_dtype(host.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const std::array<T, 256> table = detail::pixel_values<T>(options_.low_, options_.high_);
    T* images_out = batch.images.data<T>();
    T* labels_out = batch.labels.data<T>();
    for (std::int64_t row = 0; row < rows; ++row) {
      if (stopping_) return false;
      dataset_->read(batch.indices[static_cast<std::size_t>(row)], pixels.data(), labels.data());
      T* image_row = images_out + row * sample_bytes;
      for (std::int64_t k = 0; k < sample_bytes; ++k) image_row[k] = table[pixels[static_cast<std::size_t>(k)]];
      std::copy(labels.begin(), labels.end(), labels_out + row * label_count);
    }
    return true;
  });
  if (!complete) return std::nullopt;
  batch.images = batch.images.to(options_.tensor_options_.device());
  batch.labels = batch.labels.to(options_.tensor_options_.device());
  return batch;
}

void DataLoader::stop_worker() {
  if (worker_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }
  stopping_ = false;
  prepared_.reset();
  error_ = nullptr;
}

}  // namespace nn
