#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nn/data/data_loader.hpp>
#include <nn/nn.hpp>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

using namespace nn;
using namespace nn::data;
using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

// Sample i: pixel k is (7i + 13k) mod 256, labels are {i, i / 2}. Optionally
// slow, optionally broken at one index; counts its reads.
class FakeDataset : public Dataset {
 public:
  FakeDataset(std::int64_t n, Shape shape) : n_(n), shape_(std::move(shape)) {}
  std::int64_t size() const override { return n_; }
  Shape image_shape() const override { return shape_; }
  std::int64_t label_count() const override { return 2; }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override {
    ++reads;
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (i == broken) throw std::runtime_error("sample " + std::to_string(i) + " is broken");
    for (std::int64_t k = 0; k < shape_numel(shape_); ++k) image[k] = pixel(i, k);
    labels[0] = static_cast<float>(i);
    labels[1] = static_cast<float>(i) / 2;
  }
  static std::uint8_t pixel(std::int64_t i, std::int64_t k) { return static_cast<std::uint8_t>((7 * i + 13 * k) % 256); }

  std::int64_t broken = -1;
  std::chrono::milliseconds delay{0};
  mutable std::atomic<std::int64_t> reads{0};

 private:
  std::int64_t n_;
  Shape shape_;
};

// Each sample's image holds the given pixel levels in order.
class LevelsDataset : public Dataset {
 public:
  explicit LevelsDataset(std::vector<std::uint8_t> levels) : levels_(std::move(levels)) {}
  std::int64_t size() const override { return 1; }
  Shape image_shape() const override { return {1, 1, static_cast<std::int64_t>(levels_.size())}; }
  std::int64_t label_count() const override { return 1; }
  void read(std::int64_t, std::uint8_t* image, float* labels) const override {
    std::copy(levels_.begin(), levels_.end(), image);
    labels[0] = 0.25f;
  }

 private:
  std::vector<std::uint8_t> levels_;
};

std::vector<std::int64_t> epoch_order(DataLoader& loader, std::int64_t epoch) {
  loader.start_epoch(epoch);
  std::vector<std::int64_t> order;
  while (auto batch = loader.next()) order.insert(order.end(), batch->indices.begin(), batch->indices.end());
  return order;
}

std::vector<std::int64_t> batch_sizes(DataLoader& loader) {
  loader.start_epoch(0);
  std::vector<std::int64_t> sizes;
  while (auto batch = loader.next()) sizes.push_back(batch->images.size(0));
  return sizes;
}

}  // namespace

TEST_CASE("Every sample comes exactly once per epoch with its own image and labels", "[loader]") {
  auto data = std::make_shared<FakeDataset>(103, Shape{2, 3, 4});
  DataLoader loader(data, DataLoaderOptions().batch_size(10).seed(5).range(0.0, 255.0));
  for (std::int64_t epoch : {0, 1}) {
    loader.start_epoch(epoch);
    std::vector<std::int64_t> seen;
    while (auto batch = loader.next()) {
      const std::int64_t rows = batch->images.size(0);
      REQUIRE(batch->images.shape() == Shape{rows, 2, 3, 4});
      REQUIRE(batch->labels.shape() == Shape{rows, 2});
      REQUIRE(batch->indices.size() == static_cast<std::size_t>(rows));
      const std::vector<float> images = batch->images.to_vector<float>();
      const std::vector<float> labels = batch->labels.to_vector<float>();
      for (std::int64_t r = 0; r < rows; ++r) {
        const std::int64_t i = batch->indices[static_cast<std::size_t>(r)];
        for (std::int64_t k = 0; k < 24; ++k)
          REQUIRE(images[static_cast<std::size_t>(r * 24 + k)] == static_cast<float>(FakeDataset::pixel(i, k)));
        REQUIRE(labels[static_cast<std::size_t>(2 * r)] == static_cast<float>(i));
        REQUIRE(labels[static_cast<std::size_t>(2 * r + 1)] == static_cast<float>(i) / 2);
      }
      seen.insert(seen.end(), batch->indices.begin(), batch->indices.end());
    }
    std::vector<std::int64_t> sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::int64_t> all(103);
    std::iota(all.begin(), all.end(), std::int64_t{0});
    CHECK(sorted == all);
    CHECK(seen != all);  // shuffled
    CHECK_FALSE(loader.next().has_value());
  }
}

TEST_CASE("The order depends only on seed and epoch", "[loader]") {
  auto data = std::make_shared<FakeDataset>(50, Shape{1, 1, 1});
  DataLoader a(data, DataLoaderOptions().batch_size(7).seed(42));
  DataLoader b(data, DataLoaderOptions().batch_size(7).seed(42));
  DataLoader other_seed(data, DataLoaderOptions().batch_size(7).seed(43));

  const std::vector<std::int64_t> a3 = epoch_order(a, 3);
  epoch_order(b, 1);
  CHECK(epoch_order(b, 3) == a3);
  CHECK(epoch_order(a, 3) == a3);
  CHECK(epoch_order(a, 4) != a3);
  CHECK(epoch_order(other_seed, 3) != a3);

  DataLoader in_order(data, DataLoaderOptions().batch_size(7).shuffle(false));
  std::vector<std::int64_t> identity(50);
  std::iota(identity.begin(), identity.end(), std::int64_t{0});
  CHECK(epoch_order(in_order, 2) == identity);
}

TEST_CASE("drop_last decides the fate of the final partial batch", "[loader]") {
  auto data = std::make_shared<FakeDataset>(103, Shape{1, 2, 2});
  DataLoader keep(data, DataLoaderOptions().batch_size(10));
  DataLoader drop(data, DataLoaderOptions().batch_size(10).drop_last(true));
  CHECK(keep.batches_per_epoch() == 11);
  CHECK(drop.batches_per_epoch() == 10);
  std::vector<std::int64_t> keep_sizes(10, 10);
  keep_sizes.push_back(3);
  CHECK(batch_sizes(keep) == keep_sizes);
  CHECK(batch_sizes(drop) == std::vector<std::int64_t>(10, 10));

  auto even = std::make_shared<FakeDataset>(100, Shape{1, 2, 2});
  DataLoader even_keep(even, DataLoaderOptions().batch_size(10));
  CHECK(batch_sizes(even_keep) == std::vector<std::int64_t>(10, 10));

  auto small = std::make_shared<FakeDataset>(5, Shape{1, 2, 2});
  DataLoader small_drop(small, DataLoaderOptions().batch_size(10).drop_last(true));
  CHECK(small_drop.batches_per_epoch() == 0);
  CHECK(batch_sizes(small_drop).empty());
  DataLoader small_keep(small, DataLoaderOptions().batch_size(10));
  CHECK(batch_sizes(small_keep) == std::vector<std::int64_t>{5});
}

TEMPLATE_TEST_CASE("Pixels are scaled to the requested range", "[loader]", float, double) {
  auto data = std::make_shared<LevelsDataset>(std::vector<std::uint8_t>{0, 51, 102, 153, 204, 255});
  const TensorOptions options = TensorOptions().dtype(dtype_of<TestType>());
  // v = low + (high - low) * p / 255, worked out by hand for p = 0, 51, ..., 255.
  const std::vector<double> symmetric = {-1.0, -0.6, -0.2, 0.2, 0.6, 1.0};
  const std::vector<double> unit = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
  for (const auto& [low, high, expected] : {std::tuple{-1.0, 1.0, symmetric}, std::tuple{0.0, 1.0, unit}}) {
    DataLoader loader(data, DataLoaderOptions().batch_size(4).range(low, high).tensor_options(options));
    loader.start_epoch(0);
    const std::optional<Batch> batch = loader.next();
    REQUIRE(batch.has_value());
    CHECK(batch->images.dtype() == dtype_of<TestType>());
    CHECK(batch->labels.dtype() == dtype_of<TestType>());
    CHECK(batch->labels.item() == 0.25);
    const std::vector<TestType> got = batch->images.to_vector<TestType>();
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO("level " << i * 51 << " in [" << low << ", " << high << "]");
      CHECK(got[i] == Approx(static_cast<TestType>(expected[i])).margin(std::is_same_v<TestType, float> ? 1e-7 : 1e-15));
    }
    CHECK(got.front() == static_cast<TestType>(low));
    CHECK(got.back() == static_cast<TestType>(high));
  }
}

TEST_CASE("An exception thrown by the dataset surfaces from next()", "[loader]") {
  auto data = std::make_shared<FakeDataset>(60, Shape{1, 2, 2});
  data->broken = 42;
  DataLoader loader(data, DataLoaderOptions().batch_size(10).shuffle(false));
  loader.start_epoch(0);
  for (int b = 0; b < 4; ++b) REQUIRE(loader.next().has_value());
  CHECK_THROWS_WITH(loader.next(), "sample 42 is broken");
  CHECK_THROWS_WITH(loader.next(), "sample 42 is broken");

  data->broken = -1;
  CHECK(epoch_order(loader, 0).size() == 60);
}

TEST_CASE("The loader prepares exactly one batch ahead", "[loader]") {
  auto data = std::make_shared<FakeDataset>(40, Shape{1, 1, 1});
  DataLoader loader(data, DataLoaderOptions().batch_size(8));
  const auto reads_settle_at = [&](std::int64_t wanted) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (data->reads < wanted && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(50ms);
    return data->reads.load();
  };
  loader.start_epoch(0);
  CHECK(reads_settle_at(8) == 8);
  REQUIRE(loader.next().has_value());
  CHECK(reads_settle_at(16) == 16);
}

TEST_CASE("Stopping mid-epoch neither hangs nor loses samples", "[loader]") {
  auto data = std::make_shared<FakeDataset>(2000, Shape{1, 1, 1});
  data->delay = 2ms;  // a batch of 300 takes at least 600 ms to assemble
  const auto destroy_time = [](std::unique_ptr<DataLoader>& loader) {
    const auto start = std::chrono::steady_clock::now();
    loader.reset();
    return std::chrono::steady_clock::now() - start;
  };
  auto before_first = std::make_unique<DataLoader>(data, DataLoaderOptions().batch_size(300));
  before_first->start_epoch(0);
  std::this_thread::sleep_for(20ms);
  CHECK(destroy_time(before_first) < 300ms);

  auto after_first = std::make_unique<DataLoader>(data, DataLoaderOptions().batch_size(300));
  after_first->start_epoch(0);
  REQUIRE(after_first->next().has_value());
  std::this_thread::sleep_for(20ms);
  CHECK(destroy_time(after_first) < 300ms);

  data->delay = 0ms;
  DataLoader loader(data, DataLoaderOptions().batch_size(64));
  loader.start_epoch(0);
  REQUIRE(loader.next().has_value());
  REQUIRE(loader.next().has_value());
  std::vector<std::int64_t> order = epoch_order(loader, 1);
  std::sort(order.begin(), order.end());
  std::vector<std::int64_t> all(2000);
  std::iota(all.begin(), all.end(), std::int64_t{0});
  CHECK(order == all);
}

TEST_CASE("DataLoaderOptions reads back what its setters set", "[loader]") {
  const DataLoaderOptions defaults;
  CHECK(defaults.batch_size() == 64);
  CHECK(defaults.shuffle());
  CHECK_FALSE(defaults.drop_last());
  CHECK(defaults.seed() == 0);
  CHECK((defaults.low() == -1.0 && defaults.high() == 1.0));
  const DataLoaderOptions set = DataLoaderOptions()
                                    .batch_size(9)
                                    .shuffle(false)
                                    .drop_last(true)
                                    .seed(17)
                                    .range(0.0, 255.0)
                                    .tensor_options(TensorOptions().dtype(Dtype::f64));
  CHECK(set.batch_size() == 9);
  CHECK_FALSE(set.shuffle());
  CHECK(set.drop_last());
  CHECK(set.seed() == 17);
  CHECK((set.low() == 0.0 && set.high() == 255.0));
  CHECK(set.tensor_options().dtype() == Dtype::f64);
}

TEST_CASE("DataLoader refuses misuse", "[loader]") {
  auto data = std::make_shared<FakeDataset>(10, Shape{1, 2, 2});
  CHECK_THROWS_WITH(DataLoader(data, DataLoaderOptions().batch_size(0)), Contains("batch size"));
  CHECK_THROWS_WITH(DataLoader(nullptr, DataLoaderOptions()), Contains("DataLoader"));
  CHECK_THROWS_WITH(DataLoader(data, DataLoaderOptions().range(1.0, 1.0)), Contains("low < high"));
  DataLoader loader(data, DataLoaderOptions());
  CHECK_THROWS_WITH(loader.next(), Contains("start_epoch"));
  CHECK_THROWS_WITH(loader.start_epoch(-1), Contains("epoch"));
}
