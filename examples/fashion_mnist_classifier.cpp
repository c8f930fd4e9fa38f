// A convolutional classifier of Fashion-MNIST: two convolution blocks with
// batch norm, a dense head with dropout, softmax cross-entropy with label
// smoothing, Adam with a cosine learning-rate decay and random left-right
// flips; test images are classified together with their mirror image. Prints
// the loss and accuracies after every epoch and the test set's confusion
// matrix at the end; exits 1 without the data or below --min-accuracy.
#include <omp.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <nn/data.hpp>
#include <nn/nn.hpp>
#include <nn/version.hpp>

#include "common/cli.hpp"

namespace {

using nn::data::FashionMnist;
constexpr int kClasses = nn::data::kFashionMnistClasses;
using Confusion = std::array<std::array<std::int64_t, kClasses>, kClasses>;

struct Options {
  std::string data = nn::data::kFashionMnistDir;
  std::string device = "cpu";
  int epochs = 12;
  int threads = 0;
  std::uint64_t seed = 1;
  std::int64_t batch_size = 128;
  double lr = 3e-3;
  double label_smoothing = 0.1;
  double min_accuracy = 0;
};

// 28x28 -> conv 32 -> pool -> 14x14 -> conv 64 -> pool -> 7x7 -> dense 256 -> 10 logits.
std::shared_ptr<nn::Sequential> make_model() {
  auto net = std::make_shared<nn::Sequential>();
  const auto conv_block = [&](std::int64_t in, std::int64_t out) {
    net->emplace<nn::Conv2d>(nn::Conv2dOptions(in, out, 3).padding(nn::Padding::same()).bias(false));
    net->emplace<nn::BatchNorm2d>(nn::BatchNormOptions(out));
    net->emplace<nn::ReLU>();
    net->emplace<nn::MaxPool2d>(nn::Size2d{2, 2});
  };
  conv_block(1, 32);
  conv_block(32, 64);
  net->emplace<nn::Flatten>();
  net->emplace<nn::Dense>(nn::DenseOptions(64 * 7 * 7, 256).bias(false));
  net->emplace<nn::BatchNorm1d>(nn::BatchNormOptions(256));
  net->emplace<nn::ReLU>();
  net->emplace<nn::Dropout>(0.5);
  net->emplace<nn::Dense>(nn::DenseOptions(256, kClasses));
  return net;
}

// The class ids of a batch's samples, [B], as cross_entropy takes them.
nn::Tensor class_ids(const FashionMnist& data, const std::vector<std::int64_t>& indices, nn::Device device) {
  std::vector<float> ids;
  ids.reserve(indices.size());
  for (std::int64_t i : indices) ids.push_back(static_cast<float>(data.label(i)));
  return nn::from_vector(ids, {static_cast<std::int64_t>(ids.size())}).to(device);
}

// Mirrors image b of a host batch [B, 1, H, W] left-right in place.
void flip(const nn::Tensor& images, std::int64_t b) {
  const std::int64_t h = images.size(2), w = images.size(3);
  for (std::int64_t r = 0; r < h; ++r) {
    float* row = images.data<float>() + (b * h + r) * w;
    for (std::int64_t c = 0; c < w / 2; ++c) std::swap(row[c], row[w - 1 - c]);
  }
}

// Mirrors each image of a host batch with probability 1/2.
void random_flips(const nn::Tensor& images, std::mt19937_64& rng) {
  for (std::int64_t b = 0; b < images.size(0); ++b)
    if (rng() & 1) flip(images, b);
}

struct Evaluation {
  double loss = 0, accuracy = 0;
  Confusion confusion{};
};

// Test-set loss, accuracy and confusion, classifying each image by the mean
// of its logits and those of its mirror image (the training flips make the
// two views equally valid).
Evaluation evaluate(nn::Sequential& net, nn::data::DataLoader& loader, const FashionMnist& data, nn::Device device) {
  const nn::NoGradGuard no_grad;
  net.eval();
  Evaluation result;
  double loss_sum = 0;
  std::int64_t correct = 0, seen = 0;
  loader.start_epoch(0);
  while (auto batch = loader.next()) {
    const nn::Tensor mirrored = batch->images.clone();
    for (std::int64_t b = 0; b < mirrored.size(0); ++b) flip(mirrored, b);
    const nn::Tensor logits = (net(batch->images.to(device)) + net(mirrored.to(device))) * 0.5;
    const nn::Tensor ids = class_ids(data, batch->indices, device);
    loss_sum += nn::cross_entropy(logits, ids, nn::Reduction::sum).item();
    const std::vector<float> predicted = nn::argmax(logits).to_vector<float>();
    for (std::size_t k = 0; k < predicted.size(); ++k) {
      const int truth = data.label(batch->indices[k]), guess = static_cast<int>(predicted[k]);
      ++result.confusion[static_cast<std::size_t>(truth)][static_cast<std::size_t>(guess)];
      correct += truth == guess;
    }
    seen += static_cast<std::int64_t>(predicted.size());
  }
  result.loss = loss_sum / static_cast<double>(seen);
  result.accuracy = static_cast<double>(correct) / static_cast<double>(seen);
  return result;
}

void print_confusion(const Confusion& confusion) {
  const auto& names = nn::data::fashion_mnist_class_names();
  std::printf("\nconfusion matrix of the test set (rows: true class, columns: predicted)\n%12s", "");
  for (std::size_t c = 0; c < kClasses; ++c) std::printf(" %6.6s", std::string(names[c]).c_str());
  std::printf("\n");
  for (std::size_t r = 0; r < kClasses; ++r) {
    std::printf("%12s", std::string(names[r]).c_str());
    for (std::size_t c = 0; c < kClasses; ++c) std::printf(" %6lld", static_cast<long long>(confusion[r][c]));
    std::printf("\n");
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run(const Options& o) {
  using nn::data::FashionMnistSplit;
  if (!nn::data::fashion_mnist_available(o.data, FashionMnistSplit::train) ||
      !nn::data::fashion_mnist_available(o.data, FashionMnistSplit::test)) {
    std::fprintf(stderr, "fashion_mnist_classifier: Fashion-MNIST not found: %s is missing (install "
                 "dataset-fashion-mnist or pass --data DIR)\n",
                 nn::data::fashion_mnist_images_path(o.data, FashionMnistSplit::train).c_str());
    return 1;
  }
  if (o.threads > 0) omp_set_num_threads(o.threads);
  const nn::Device device = nn::Device::parse(o.device);
  nn::manual_seed(o.seed);
  const auto train = nn::data::load_fashion_mnist(FashionMnistSplit::train, o.data);
  const auto test = nn::data::load_fashion_mnist(FashionMnistSplit::test, o.data);
  // Batches are assembled on the host (where the flips happen) and then moved.
  nn::data::DataLoader train_loader(
      train, nn::data::DataLoaderOptions().batch_size(o.batch_size).seed(o.seed).drop_last(true));
  nn::data::DataLoader test_loader(test, nn::data::DataLoaderOptions().batch_size(500).shuffle(false));

  const auto net = make_model();
  net->to(device);
  nn::Adam adam(net->parameters(), nn::AdamOptions().lr(o.lr));
  std::printf("libnn %s, %d OpenMP threads, device %s, %lld train and %lld test images, batch %lld, %d epochs\n",
              nn::version(), omp_get_max_threads(), device.str().c_str(), static_cast<long long>(train->size()),
              static_cast<long long>(test->size()), static_cast<long long>(o.batch_size), o.epochs);
  std::fflush(stdout);

  std::mt19937_64 flip_rng(o.seed);
  const std::int64_t steps_per_epoch = train_loader.batches_per_epoch();
  const double total_steps = static_cast<double>(steps_per_epoch) * o.epochs;
  std::int64_t step = 0;
  Evaluation last;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    net->train();
    train_loader.start_epoch(epoch);
    double loss_sum = 0;
    std::int64_t correct = 0, seen = 0;
    while (auto batch = train_loader.next()) {
      // Cosine decay of the learning rate from lr to 0 over the run.
      adam.groups()[0].lr = o.lr * 0.5 * (1 + std::cos(std::numbers::pi * static_cast<double>(step) / total_steps));
      random_flips(batch->images, flip_rng);
      const nn::Tensor ids = class_ids(*train, batch->indices, device);
      const nn::Tensor logits = (*net)(batch->images.to(device));
      const nn::Tensor loss = nn::cross_entropy(logits, ids, nn::Reduction::mean, o.label_smoothing);
      adam.zero_grad();
      loss.backward();
      adam.step();
      ++step;
      const std::vector<float> predicted = nn::argmax(logits.detach()).to_vector<float>();
      const std::vector<float> truth = ids.to_vector<float>();
      for (std::size_t k = 0; k < predicted.size(); ++k) correct += predicted[k] == truth[k];
      seen += static_cast<std::int64_t>(predicted.size());
      loss_sum += loss.item() * static_cast<double>(predicted.size());
    }
    const double train_seconds = seconds_since(epoch_start);
    last = evaluate(*net, test_loader, *test, device);
    std::printf("epoch %2d/%d  loss %.4f  train acc %.4f  test loss %.4f  test acc %.4f  "
                "%.1f s (%.0f train images/s)  elapsed %.1f s\n",
                epoch + 1, o.epochs, loss_sum / static_cast<double>(seen),
                static_cast<double>(correct) / static_cast<double>(seen), last.loss, last.accuracy,
                seconds_since(epoch_start), static_cast<double>(seen) / train_seconds, seconds_since(start));
    std::fflush(stdout);
  }
  print_confusion(last.confusion);
  std::printf("\ntest accuracy %.4f after %d epochs in %.1f s\n", last.accuracy, o.epochs, seconds_since(start));
  if (last.accuracy < o.min_accuracy) {
    std::fprintf(stderr, "fashion_mnist_classifier: test accuracy %.4f is below --min-accuracy %.4f\n",
                 last.accuracy, o.min_accuracy);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  nn::apps::CommandLine cli("fashion_mnist_classifier",
                            "Trains a small CNN on Fashion-MNIST and reports its test accuracy.");
  cli.bind("--data", o.data, "folder with the Fashion-MNIST .gz files");
  cli.bind("--epochs", o.epochs, "epochs");
  cli.bind("--seed", o.seed, "seed of the initialisation, shuffling, dropout and flips");
  cli.bind("--threads", o.threads, "OpenMP threads, 0 for the OpenMP default");
  cli.bind("--device", o.device, "cpu, cuda or cuda:N");
  cli.bind("--batch-size", o.batch_size, "training batch size");
  cli.bind("--lr", o.lr, "Adam's peak learning rate");
  cli.bind("--label-smoothing", o.label_smoothing, "label smoothing of the training loss");
  cli.bind("--min-accuracy", o.min_accuracy, "exit 1 when the final test accuracy is below this");
  return nn::apps::exit_status_of([&] { return cli.parse(argc, argv) ? run(o) : 0; });
}
