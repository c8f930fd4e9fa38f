// The program of the README's "Using libnn" section: a small network fitted to
// synthetic data with Adam, zeroing the gradients before every step, then
// saved as a checkpoint. Exits 1 when the loss did not fall or the fit is poor.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numbers>
#include <vector>

#include <nn/nn.hpp>

int main() {
  nn::manual_seed(0);
  // 300 points in three noisy clusters around the corners of a triangle; a
  // point's class is its cluster.
  const std::int64_t n = 300;
  std::vector<float> centres, classes;
  for (std::int64_t i = 0; i < n; ++i) {
    const double angle = 2 * std::numbers::pi / 3 * static_cast<double>(i % 3);
    centres.push_back(static_cast<float>(2 * std::cos(angle)));
    centres.push_back(static_cast<float>(2 * std::sin(angle)));
    classes.push_back(static_cast<float>(i % 3));
  }
  const nn::Tensor x = nn::from_vector(centres, {n, 2}) + nn::normal({n, 2}, 0.0, 0.7);
  const nn::Tensor targets = nn::from_vector(classes, {n});

  nn::Sequential net;
  net.emplace<nn::Dense>(nn::DenseOptions(2, 32));
  net.emplace<nn::ReLU>();
  net.emplace<nn::Dense>(nn::DenseOptions(32, 3));
  std::cout << nn::summary(net, nn::Shape{1, 2});
  nn::Adam adam(net.parameters(), nn::AdamOptions().lr(1e-2));
  std::vector<double> losses;
  for (int step = 0; step < 200; ++step) {
    adam.zero_grad();  // backward() adds to the gradients left by the last step
    nn::Tensor loss = nn::cross_entropy(net(x), targets);
    loss.backward();
    adam.step();
    losses.push_back(loss.item());
    if (step % 50 == 0) std::printf("step %3d  loss %.4f\n", step, losses.back());
  }
  const std::vector<float> predicted = nn::argmax(net(x)).to_vector<float>();
  int correct = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == classes[i];
  const double accuracy = static_cast<double>(correct) / static_cast<double>(n);
  std::printf("training accuracy %.3f\n", accuracy);
  nn::save_checkpoint("using_libnn.safetensors", {{{"net", &net}}, {{"adam", &adam}}});

  if (!(losses.back() < losses.front() / 2 && accuracy >= 0.9)) {
    std::fprintf(stderr, "using_libnn: the fit failed (loss %.4f -> %.4f, accuracy %.3f)\n", losses.front(),
                 losses.back(), accuracy);
    return 1;
  }
  return 0;
}
