#include "nn/data/data_loader.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <utility>

#include "nn/error.hpp"
#include "nn/pixel_range.hpp"
#include "nn/random_stream.hpp"

namespace nn::data {
namespace {

[[noreturn]] void fail(const char* op, const std::string& message) { throw Error(std::string(op) + ": " + message); }

// The splitmix64 finaliser: spreads every input bit over the whole word, so
// neighbouring (seed, epoch) pairs give unrelated Philox keys.
std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A uniform permutation of 0..n-1 (Fisher-Yates) drawn from the random stream
// `key`. Bounded draws reject the lowest 2^32 mod bound values, so every
// index is exactly equally likely.
std::vector<std::int64_t> permutation(std::int64_t n, std::uint64_t key) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  RandomStream stream(key);
  const auto below = [&](std::uint64_t bound) {
    const auto threshold = static_cast<std::uint32_t>((0x100000000ULL - bound) % bound);
    while (true) {
      const std::uint32_t draw = stream.next_uint32();
      if (draw >= threshold) return static_cast<std::size_t>(draw % bound);
    }
  };
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[below(i)]);
  return order;
}

}  // namespace

struct DataLoader::State {
  State(std::shared_ptr<const Dataset> data, DataLoaderOptions opts) : dataset(std::move(data)), options(opts) {}
  ~State() { stop_worker(); }

  std::int64_t batches_per_epoch() const {
    const std::int64_t n = dataset->size(), b = options.batch_size();
    return options.drop_last() ? n / b : (n + b - 1) / b;
  }
  // Batch `index` of the current order; nullopt when `stopping` interrupts it.
  std::optional<Batch> assemble(std::int64_t index) const;
  void work();
  void stop_worker();

  std::shared_ptr<const Dataset> dataset;
  DataLoaderOptions options;
  bool started = false;
  std::vector<std::int64_t> order;
  std::int64_t next_batch = 0;
  std::thread worker;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<Batch> prepared;
  std::exception_ptr error;
};

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options) {
  constexpr const char* op = "DataLoader";
  if (!dataset) fail(op, "no dataset given");
  if (options.batch_size() < 1) fail(op, "batch size must be positive, got " + std::to_string(options.batch_size()));
  check_pixel_range(op, options.low(), options.high());
  if (options.tensor_options().requires_grad()) fail(op, "batches are data and cannot require grad");
  const Shape shape = dataset->image_shape();
  if (shape.size() != 3 || shape_numel(shape) < 1 || std::any_of(shape.begin(), shape.end(), [](auto d) { return d < 1; }))
    fail(op, "dataset image shape " + shape_str(shape) + " is not a non-empty [C,H,W]");
  if (dataset->size() < 0 || dataset->label_count() < 0)
    fail(op, "dataset reports " + std::to_string(dataset->size()) + " samples and " +
                 std::to_string(dataset->label_count()) + " labels");
  state_ = std::make_unique<State>(std::move(dataset), options);
}

DataLoader::~DataLoader() = default;

const Dataset& DataLoader::dataset() const { return *state_->dataset; }

std::int64_t DataLoader::batches_per_epoch() const { return state_->batches_per_epoch(); }

void DataLoader::start_epoch(std::int64_t epoch) {
  if (epoch < 0) fail("DataLoader::start_epoch", "epoch must be non-negative, got " + std::to_string(epoch));
  State& s = *state_;
  s.stop_worker();
  const std::int64_t n = s.dataset->size();
  if (s.options.shuffle()) {
    if (static_cast<std::uint64_t>(n) > 0x100000000ULL)
      fail("DataLoader::start_epoch", "cannot shuffle " + std::to_string(n) + " samples (at most 2^32)");
    s.order = permutation(n, mix64(mix64(s.options.seed()) ^ static_cast<std::uint64_t>(epoch)));
  } else {
    s.order.resize(static_cast<std::size_t>(n));
    std::iota(s.order.begin(), s.order.end(), std::int64_t{0});
  }
  s.next_batch = 0;
  s.started = true;
  if (s.batches_per_epoch() > 0) s.worker = std::thread(&State::work, &s);
}

std::optional<Batch> DataLoader::next() {
  State& s = *state_;
  if (!s.started) fail("DataLoader::next", "call start_epoch before asking for batches");
  if (s.next_batch >= s.batches_per_epoch()) return std::nullopt;
  std::unique_lock lock(s.mutex);
  s.changed.wait(lock, [&] { return s.prepared.has_value() || s.error != nullptr; });
  if (s.error) std::rethrow_exception(s.error);
  Batch batch = std::move(*s.prepared);
  s.prepared.reset();
  lock.unlock();
  s.changed.notify_all();
  ++s.next_batch;
  return batch;
}

// Runs on the worker thread: assembles each batch of the epoch once the
// previous one has been taken, so exactly one batch is prepared ahead.
void DataLoader::State::work() {
  const std::int64_t batches = batches_per_epoch();
  for (std::int64_t index = 0; index < batches; ++index) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return !prepared.has_value() || stopping.load(); });
      if (stopping) return;
    }
    std::optional<Batch> batch;
    try {
      batch = assemble(index);
    } catch (...) {
      std::lock_guard lock(mutex);
      error = std::current_exception();
      changed.notify_all();
      return;
    }
    if (!batch) return;
    {
      std::lock_guard lock(mutex);
      prepared = std::move(batch);
    }
    changed.notify_all();
  }
}

std::optional<Batch> DataLoader::State::assemble(std::int64_t index) const {
  const Shape sample_shape = dataset->image_shape();
  const std::int64_t sample_bytes = shape_numel(sample_shape), label_count = dataset->label_count();
  const std::int64_t begin = index * options.batch_size();
  const std::int64_t end = std::min<std::int64_t>(begin + options.batch_size(), static_cast<std::int64_t>(order.size()));
  const std::int64_t rows = end - begin;

  const TensorOptions host = TensorOptions().dtype(options.tensor_options().dtype());
  Batch batch;
  batch.indices.assign(order.begin() + begin, order.begin() + end);
  batch.images = empty({rows, sample_shape[0], sample_shape[1], sample_shape[2]}, host);
  batch.labels = empty({rows, label_count}, host);
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(sample_bytes));
  std::vector<float> labels(static_cast<std::size_t>(label_count));
  const bool complete = visit_dtype(host.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const std::array<T, 256> table = pixel_values<T>(options.low(), options.high());
    T* images_out = batch.images.data<T>();
    T* labels_out = batch.labels.data<T>();
    for (std::int64_t row = 0; row < rows; ++row) {
      if (stopping) return false;
      dataset->read(batch.indices[static_cast<std::size_t>(row)], pixels.data(), labels.data());
      T* image_row = images_out + row * sample_bytes;
      for (std::int64_t k = 0; k < sample_bytes; ++k) image_row[k] = table[pixels[static_cast<std::size_t>(k)]];
      std::copy(labels.begin(), labels.end(), labels_out + row * label_count);
    }
    return true;
  });
  if (!complete) return std::nullopt;
  batch.images = batch.images.to(options.tensor_options().device());
  batch.labels = batch.labels.to(options.tensor_options().device());
  return batch;
}

void DataLoader::State::stop_worker() {
  if (worker.joinable()) {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    changed.notify_all();
    worker.join();
  }
  stopping = false;
  prepared.reset();
  error = nullptr;
}

}  // namespace nn::data
