// spiral_demo: the stand-in main job until apps/acgan_celeba lands. Trains a
// small MLP (2 -> 64 -> 64 -> 1, tanh, BCE with logits) by plain gradient
// descent on two interleaved spirals drawn from the run's seed, printing the
// loss and writing it per step to OUT/losses.csv.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <nn/nn.hpp>
#include <string>

namespace {

struct Options {
  std::string out = "out/spiral_demo";
  int steps = 1500;
  double lr = 0.5;
  std::uint64_t seed = 1;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help") {
      std::cout << "usage: spiral_demo [--out DIR] [--steps N] [--lr X] [--seed S]\n";
      std::exit(0);
    } else if (arg == "--out" && has_value) {
      o.out = argv[++i];
    } else if (arg == "--steps" && has_value) {
      o.steps = std::stoi(argv[++i]);
    } else if (arg == "--lr" && has_value) {
      o.lr = std::stod(argv[++i]);
    } else if (arg == "--seed" && has_value) {
      o.seed = std::stoull(argv[++i]);
    } else {
      throw std::invalid_argument("spiral_demo: unknown or incomplete argument '" + arg + "' (see --help)");
    }
  }
  return o;
}

// Two spirals, 256 points each, with a little noise; labels 0 and 1.
std::pair<nn::Tensor, nn::Tensor> spirals(int per_class) {
  const nn::Tensor t = nn::uniform({2 * per_class}, 0.0, 1.0);
  const nn::Tensor jitter = nn::normal({2 * per_class, 2}, 0.0, 0.05);
  std::vector<float> xy, labels;
  const auto tv = t.to_vector<float>();
  const auto jv = jitter.to_vector<float>();
  for (int i = 0; i < 2 * per_class; ++i) {
    const int cls = i % 2;
    const float r = tv[i];
    const float angle = 3.5f * 3.14159265f * r + 3.14159265f * cls;
    xy.push_back(r * std::cos(angle) + jv[2 * i]);
    xy.push_back(r * std::sin(angle) + jv[2 * i + 1]);
    labels.push_back(static_cast<float>(cls));
  }
  return {nn::from_vector(xy, {2 * per_class, 2}), nn::from_vector(labels, {2 * per_class, 1})};
}

nn::Tensor parameter(const nn::Shape& shape, double scale) {
  nn::Tensor p = nn::uniform(shape, -scale, scale);
  p.set_requires_grad(true);
  return p;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options opt = parse(argc, argv);
  nn::manual_seed(opt.seed);
  std::cout << "spiral_demo: the AC-GAN app does not exist yet; this trains a 2-64-64-1 MLP on CPU\n";
  const auto [x, y] = spirals(256);
  std::vector<nn::Tensor> params = {parameter({64, 2}, 0.7), parameter({64}, 0.1), parameter({64, 64}, 0.2),
                                    parameter({64}, 0.1), parameter({1, 64}, 0.2), parameter({1}, 0.1)};
  std::filesystem::create_directories(opt.out);
  std::ofstream csv(opt.out + "/losses.csv");
  csv << "step,loss,accuracy\n";
  const auto start = std::chrono::steady_clock::now();
  for (int step = 1; step <= opt.steps; ++step) {
    const nn::Tensor h1 = nn::tanh(nn::linear(x, params[0], params[1]));
    const nn::Tensor h2 = nn::tanh(nn::linear(h1, params[2], params[3]));
    const nn::Tensor logits = nn::linear(h2, params[4], params[5]);
    const nn::Tensor loss = nn::bce_with_logits(logits, y);
    if (!std::isfinite(loss.item())) throw nn::Error("spiral_demo: loss became " + std::to_string(loss.item()));
    loss.backward();
    nn::NoGradGuard no_grad;
    for (nn::Tensor& p : params) {
      p = (p - p.grad() * opt.lr).detach();
      p.set_requires_grad(true);
    }
    int correct = 0;
    const auto lv = logits.to_vector<float>();
    const auto yv = y.to_vector<float>();
    for (std::size_t i = 0; i < lv.size(); ++i) correct += (lv[i] > 0) == (yv[i] > 0.5f);
    const double accuracy = static_cast<double>(correct) / static_cast<double>(lv.size());
    csv << step << ',' << loss.item() << ',' << accuracy << '\n';
    if (step % 100 == 0 || step == 1)
      std::printf("step %5d  loss %.4f  accuracy %.3f\n", step, loss.item(), accuracy);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("spiral_demo: %d steps in %.2f s; losses in %s/losses.csv\n", opt.steps, seconds, opt.out.c_str());
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
