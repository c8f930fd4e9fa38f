#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "dcgan/models.hpp"
#include "dcgan/recipe.hpp"
#include "dcgan/trainer.hpp"

using namespace dcgan;
using Catch::Matchers::Contains;

namespace {

const std::vector<Architecture> kArchitectures = {Architecture::radford64, Architecture::wlu128,
                                                  Architecture::tutorial28};

// Parameters by hand: trainable (weights, biases, batch norm scales and
// shifts) and non-trainable (batch norm running means and variances).
struct Counts {
  std::int64_t trainable, running;
};

// A batch norm layer over `c` channels: 2 trainable and 2 running numbers per channel.
Counts bn(std::int64_t c) { return {2 * c, 2 * c}; }
Counts operator+(Counts a, Counts b) { return {a.trainable + b.trainable, a.running + b.running}; }
Counts weights(std::int64_t n) { return {n, 0}; }

Counts generator_counts(Architecture a, std::int64_t c) {
  switch (a) {
    case Architecture::radford64:  // transposed convolutions without bias, 4x4 kernels
      return weights(100 * 512 * 16) + bn(512) + weights(512 * 256 * 16) + bn(256) + weights(256 * 128 * 16) +
             bn(128) + weights(128 * 64 * 16) + bn(64) + weights(64 * c * 16);
    case Architecture::wlu128:  // dense 100 -> 8192 and 3x3 transposed convolutions, all with bias
      return weights(100 * 8192 + 8192) + bn(512) + weights(512 * 512 * 9 + 512) + bn(512) +
             weights(512 * 256 * 9 + 256) + bn(256) + weights(256 * 128 * 9 + 128) + bn(128) +
             weights(128 * 64 * 9 + 64) + bn(64) + weights(64 * c * 9 + c);
    case Architecture::tutorial28:  // dense 100 -> 2048 and 5x5 transposed convolutions, all with bias
      return weights(100 * 2048 + 2048) + bn(512) + weights(512 * 256 * 25 + 256) + bn(256) +
             weights(256 * 128 * 25 + 128) + bn(128) + weights(128 * c * 25 + c);
  }
  return {};
}

Counts discriminator_counts(Architecture a, std::int64_t c) {
  switch (a) {
    case Architecture::radford64:  // 4x4 convolutions without bias, the last one 512 -> 1
      return weights(c * 64 * 16) + weights(64 * 128 * 16) + bn(128) + weights(128 * 256 * 16) + bn(256) +
             weights(256 * 512 * 16) + bn(512) + weights(512 * 1 * 16);
    case Architecture::wlu128:  // 5x5 convolutions with bias, dense 8*8*512 -> 1
      return weights(c * 64 * 25 + 64) + weights(64 * 128 * 25 + 128) + bn(128) + weights(128 * 256 * 25 + 256) +
             bn(256) + weights(256 * 512 * 25 + 512) + weights(8 * 8 * 512 + 1);
    case Architecture::tutorial28:  // 5x5 convolutions with bias, dense 7*7*256 -> 1
      return weights(c * 64 * 25 + 64) + weights(64 * 128 * 25 + 128) + bn(128) + weights(128 * 256 * 25 + 256) +
             bn(256) + weights(7 * 7 * 256 + 1);
  }
  return {};
}

void check_summary(const std::string& table, Counts expected) {
  CHECK_THAT(table, Contains("Total params: " + std::to_string(expected.trainable + expected.running) + "\n"));
  CHECK_THAT(table, Contains("Trainable params: " + std::to_string(expected.trainable) + "\n"));
  CHECK_THAT(table, Contains("Non-trainable params: " + std::to_string(expected.running) + "\n"));
}

std::map<std::string, std::vector<float>> snapshot(const nn::Module& m) {
  std::map<std::string, std::vector<float>> out;
  for (const auto& [name, t] : m.state_dict()) out[name] = t.to_vector<float>();
  return out;
}

double mean_of(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += x;
  return s / static_cast<double>(v.size());
}

double stddev_of(const std::vector<float>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (float x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

// Mean BCE of sigmoid(logits) against one target, by hand.
double bce_by_hand(const std::vector<float>& logits, double target) {
  double sum = 0;
  for (float l : logits) {
    const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(l)));
    sum += -(target * std::log(p) + (1 - target) * std::log(1 - p));
  }
  return sum / static_cast<double>(logits.size());
}

double mean_sigmoid(const std::vector<float>& logits) {
  double sum = 0;
  for (float l : logits) sum += 1.0 / (1.0 + std::exp(-static_cast<double>(l)));
  return sum / static_cast<double>(logits.size());
}

TrainerSettings settings_for(Architecture a, std::int64_t channels) {
  return settings_from(recipe_of(a), a, channels);
}

}  // namespace

TEST_CASE("architecture names round-trip and an unknown name lists the choices", "[dcgan]") {
  CHECK(architecture_names() == std::vector<std::string>{"radford64", "wlu128", "tutorial28"});
  for (Architecture a : kArchitectures) CHECK(architecture_from_name(name_of(a)) == a);
  CHECK_THROWS_WITH(architecture_from_name("dcgan32"),
                    Contains("dcgan32") && Contains("radford64") && Contains("wlu128") && Contains("tutorial28"));
}

TEST_CASE("G and D have the sources' parameter counts, running statistics non-trainable", "[dcgan]") {
  for (Architecture a : kArchitectures) {
    for (std::int64_t c : {3, 1}) {
      INFO(name_of(a) << " with " << c << " channels");
      const std::int64_t s = image_size_of(a);
      Generator g(a, c);
      Discriminator d(a, c);
      check_summary(nn::summary(g, nn::Shape{2, kLatent}), generator_counts(a, c));
      check_summary(nn::summary(d, nn::Shape{2, c, s, s}), discriminator_counts(a, c));
    }
  }
}

TEST_CASE("G maps z to images of the architecture's size in (-1, 1), D maps images to one logit", "[dcgan]") {
  const std::map<Architecture, std::int64_t> sizes = {
      {Architecture::radford64, 64}, {Architecture::wlu128, 128}, {Architecture::tutorial28, 28}};
  for (Architecture a : kArchitectures) {
    for (std::int64_t c : {3, 1}) {
      INFO(name_of(a) << " with " << c << " channels");
      nn::manual_seed(3);
      Generator g(a, c);
      Discriminator d(a, c);
      const std::int64_t s = sizes.at(a);
      CHECK(image_size_of(a) == s);
      const nn::Tensor images = g.generate(nn::normal({2, kLatent}, 0, 1));
      REQUIRE(images.shape() == nn::Shape{2, c, s, s});
      const std::vector<float> v = images.to_vector<float>();
      CHECK(*std::min_element(v.begin(), v.end()) > -1.0f);
      CHECK(*std::max_element(v.begin(), v.end()) < 1.0f);
      CHECK(d.logits(images).shape() == nn::Shape{2, 1});
      CHECK_THROWS_AS(g.generate(nn::zeros({2, kLatent + 1})), nn::Error);
    }
  }
}

TEST_CASE("radford64 starts with N(0, 0.02) convolutions and N(1, 0.02) batch norm scales", "[dcgan]") {
  nn::manual_seed(11);
  Generator g(Architecture::radford64, 3);
  Discriminator d(Architecture::radford64, 3);
  std::vector<float> bn_weights;
  int convolutions = 0;
  for (nn::Module* m : {static_cast<nn::Module*>(&g), static_cast<nn::Module*>(&d)}) {
    for (const auto& [name, layer] : m->named_modules()) {
      INFO(name);
      if (auto* bn = dynamic_cast<nn::BatchNorm*>(layer.get())) {
        const std::vector<float> w = bn->weight.to_vector<float>(), b = bn->bias.to_vector<float>();
        bn_weights.insert(bn_weights.end(), w.begin(), w.end());
        CHECK(std::all_of(b.begin(), b.end(), [](float v) { return v == 0.0f; }));
      }
      nn::Tensor weight;
      if (auto* conv = dynamic_cast<nn::Conv2d*>(layer.get())) weight = conv->weight;
      if (auto* conv = dynamic_cast<nn::ConvTranspose2d*>(layer.get())) weight = conv->weight;
      if (!weight.defined()) continue;
      ++convolutions;
      const std::vector<float> w = weight.to_vector<float>();
      // The smallest layer (D's last, 8192 weights) estimates 0.02 within about 1%.
      CHECK(stddev_of(w) == Approx(0.02).epsilon(0.05));
      CHECK(std::abs(mean_of(w)) < 0.002);
    }
  }
  CHECK(convolutions == 10);
  REQUIRE(bn_weights.size() == (512 + 256 + 128 + 64) + (128 + 256 + 512));
  CHECK(mean_of(bn_weights) == Approx(1.0).margin(0.003));
  CHECK(stddev_of(bn_weights) == Approx(0.02).epsilon(0.1));
}

TEST_CASE("wlu128 and tutorial28 start with glorot_uniform weights and zero biases", "[dcgan]") {
  for (Architecture a : {Architecture::wlu128, Architecture::tutorial28}) {
    nn::manual_seed(12);
    Generator g(a, 3);
    Discriminator d(a, 3);
    for (nn::Module* m : {static_cast<nn::Module*>(&g), static_cast<nn::Module*>(&d)}) {
      for (const auto& [name, layer] : m->named_modules()) {
        INFO(name_of(a) << " " << name);
        nn::Tensor weight, bias;
        double fans = 0;
        if (auto* conv = dynamic_cast<nn::Conv2d*>(layer.get())) {
          weight = conv->weight, bias = conv->bias;
          const auto& o = conv->options();
          fans = static_cast<double>((o.in() + o.out()) * o.kernel().h * o.kernel().w);
        } else if (auto* conv = dynamic_cast<nn::ConvTranspose2d*>(layer.get())) {
          weight = conv->weight, bias = conv->bias;
          const auto& o = conv->options();
          fans = static_cast<double>((o.in() + o.out()) * o.kernel().h * o.kernel().w);
        } else if (auto* dense = dynamic_cast<nn::Dense*>(layer.get())) {
          weight = dense->weight, bias = dense->bias;
          fans = static_cast<double>(dense->options().in() + dense->options().out());
        } else {
          continue;
        }
        REQUIRE(bias.defined());
        const std::vector<float> w = weight.to_vector<float>(), b = bias.to_vector<float>();
        const double limit = std::sqrt(6.0 / fans);
        double largest = 0;
        for (float v : w) largest = std::max(largest, std::abs(static_cast<double>(v)));
        CHECK(largest <= limit);
        CHECK(largest > 0.9 * limit);
        CHECK(std::all_of(b.begin(), b.end(), [](float v) { return v == 0.0f; }));
      }
    }
  }
}

TEST_CASE("tutorial28's D normalises with the batch's statistics in eval mode too", "[dcgan]") {
  nn::manual_seed(5);
  const nn::Tensor images = nn::uniform({4, 1, 28, 28}, -1, 1);
  Discriminator d(Architecture::tutorial28, 1);
  const std::vector<float> training = d.logits(images).to_vector<float>();
  const auto statistics = snapshot(d);
  d.eval();
  CHECK(d.logits(images).to_vector<float>() == training);
  CHECK(snapshot(d) == statistics);  // eval mode leaves the running statistics alone

  // The other discriminators' batch norm uses the running statistics in eval mode.
  Discriminator wlu(Architecture::wlu128, 1);
  const nn::Tensor large = nn::uniform({4, 1, 128, 128}, -1, 1);
  const std::vector<float> wlu_training = wlu.logits(large).to_vector<float>();
  wlu.eval();
  CHECK(wlu.logits(large).to_vector<float>() != wlu_training);
}

TEST_CASE("the trainer's settings come from the recipe and reach both optimisers", "[dcgan]") {
  for (Architecture a : kArchitectures) {
    INFO(name_of(a));
    const Recipe r = recipe_of(a);
    const TrainerSettings s = settings_from(r, a, 1);
    CHECK(s.architecture == a);
    CHECK(s.channels == 1);
    CHECK(s.lr == r.lr);
    CHECK(s.real_target == r.real_target);
    CHECK(s.g_target == r.g_target);
    CHECK(s.z == r.z);
    Trainer t(s, nn::Device::cpu());
    for (const nn::Adam* adam : {&t.d_optimizer, &t.g_optimizer}) {
      CHECK(adam->options().lr() == r.lr);
      CHECK(adam->options().beta1() == r.beta1);
      CHECK(adam->options().beta2() == r.beta2);
      CHECK(adam->options().eps() == r.adam_eps);
      CHECK(adam->options().convention() == (r.keras_adam ? nn::AdamEpsilon::keras : nn::AdamEpsilon::pytorch));
    }
    const auto parts = t.checkpoint_parts();
    CHECK(parts.modules.at("G") == &t.generator);
    CHECK(parts.modules.at("D") == &t.discriminator);
    CHECK(parts.optimizers.at("adam_G") == &t.g_optimizer);
    CHECK(parts.optimizers.at("adam_D") == &t.d_optimizer);
  }
}

TEST_CASE("z is drawn from N(0, 1) or U[-1, 1] as the settings say", "[dcgan]") {
  nn::manual_seed(9);
  Trainer normal(settings_for(Architecture::radford64, 1), nn::Device::cpu());
  const nn::Tensor zn = normal.sample_z(64);
  CHECK(zn.shape() == nn::Shape{64, kLatent});
  const std::vector<float> n = zn.to_vector<float>();
  CHECK(stddev_of(n) == Approx(1.0).epsilon(0.05));
  CHECK(*std::max_element(n.begin(), n.end()) > 2.0f);

  Trainer uniform(settings_for(Architecture::tutorial28, 1), nn::Device::cpu());
  const std::vector<float> u = uniform.sample_z(64).to_vector<float>();
  CHECK(*std::min_element(u.begin(), u.end()) >= -1.0f);
  CHECK(*std::min_element(u.begin(), u.end()) < -0.99f);
  CHECK(*std::max_element(u.begin(), u.end()) <= 1.0f);
  CHECK(*std::max_element(u.begin(), u.end()) > 0.99f);
}

TEST_CASE("one step takes BCE against the recipe's targets: D on real and fakes, then G through the updated D",
          "[dcgan]") {
  nn::manual_seed(21);
  Trainer t(settings_for(Architecture::tutorial28, 1), nn::Device::cpu());  // targets 0.9
  const nn::Tensor real = nn::uniform({4, 1, 28, 28}, -1, 1);
  const nn::RandomState before_step = nn::random_state();
  nn::Tensor fakes;
  std::vector<float> real_logits, fake_logits;
  {
    nn::NoGradGuard no_grad;
    fakes = t.generator.generate(t.sample_z(4));
    real_logits = t.discriminator.logits(real).to_vector<float>();
    fake_logits = t.discriminator.logits(fakes).to_vector<float>();
  }
  nn::set_random_state(before_step);  // the step draws the same z
  const StepMetrics m = t.step(real);
  CHECK(m.d_loss == Approx(bce_by_hand(real_logits, 0.9) + bce_by_hand(fake_logits, 0.0)).epsilon(1e-5));
  CHECK(m.d_real == Approx(mean_sigmoid(real_logits)).epsilon(1e-5));
  CHECK(m.d_fake == Approx(mean_sigmoid(fake_logits)).epsilon(1e-5));
  nn::NoGradGuard no_grad;
  const std::vector<float> after = t.discriminator.logits(fakes).to_vector<float>();  // D updated, G's fakes
  CHECK(m.g_loss == Approx(bce_by_hand(after, 0.9)).epsilon(1e-5));
  CHECK(m.d_fake_after == Approx(mean_sigmoid(after)).epsilon(1e-5));
  CHECK(m.d_fake_after != Approx(m.d_fake).epsilon(1e-6));
}

TEST_CASE("one step on a tiny batch gives finite metrics and changes every weight of G and D", "[dcgan]") {
  for (Architecture a : kArchitectures) {
    INFO(name_of(a));
    nn::manual_seed(4);
    Trainer t(settings_for(a, 3), nn::Device::cpu());
    const std::int64_t s = image_size_of(a);
    const nn::Tensor real = nn::uniform({2, 3, s, s}, -1, 1);
    const auto g_before = snapshot(t.generator), d_before = snapshot(t.discriminator);
    const StepMetrics m = t.step(real);
    for (double v : {m.d_loss, m.g_loss, m.d_real, m.d_fake, m.d_fake_after}) CHECK(std::isfinite(v));
    CHECK(m.d_loss > 0);
    CHECK(m.g_loss > 0);
    for (double p : {m.d_real, m.d_fake, m.d_fake_after}) CHECK((p > 0 && p < 1));
    const auto g_after = snapshot(t.generator), d_after = snapshot(t.discriminator);
    for (const auto& [name, values] : g_before) {
      INFO("G " << name);
      CHECK(g_after.at(name) != values);
    }
    for (const auto& [name, values] : d_before) {
      INFO("D " << name);
      CHECK(d_after.at(name) != values);
    }
    CHECK(t.d_optimizer.steps() == 1);
    CHECK(t.g_optimizer.steps() == 1);
  }
}

TEST_CASE("two trainers with the same seed agree bitwise after two steps", "[dcgan][seed]") {
  for (Architecture a : {Architecture::radford64, Architecture::tutorial28}) {
    INFO(name_of(a));
    const std::int64_t s = image_size_of(a);
    std::vector<std::map<std::string, std::vector<float>>> states;
    for (int run = 0; run < 2; ++run) {
      nn::manual_seed(33);
      Trainer t(settings_for(a, 1), nn::Device::cpu());
      const nn::Tensor real = nn::uniform({4, 1, s, s}, -1, 1);
      t.step(real);
      t.step(real);
      auto state = snapshot(t.generator);
      for (auto& [name, values] : snapshot(t.discriminator)) state["D." + name] = values;
      for (const auto& [name, tensor] : t.d_optimizer.state_dict()) state["adam_D." + name] = tensor.to_vector<float>();
      states.push_back(state);
    }
    CHECK(states[0] == states[1]);
  }
}

TEST_CASE("each architecture's batch norm and LeakyReLU settings are its framework's", "[dcgan]") {
  // radford64: PyTorch's batch norm (momentum 0.1, eps 1e-5) and LeakyReLU 0.2
  // in D; wlu128: Keras' (momentum 0.99 in Keras' convention, 0.01 in
  // libnn's, eps 1e-3) and slope 0.3; tutorial28: TF's batch norm and 0.2.
  struct Expected {
    Architecture architecture;
    double momentum, eps, slope;
    int norms, leaky;  // layers counted over G and D
  };
  // Counted in the layer lists: radford64 G 4 norms, D 3 norms and 4
  // LeakyReLU; wlu128 G 5 norms and 5 LeakyReLU (one doubled), D 2 and 3;
  // tutorial28 G 3 and 3, D 2 and 3.
  for (const Expected& e : {Expected{Architecture::radford64, 0.1, 1e-5, 0.2, 7, 4},
                            Expected{Architecture::wlu128, 0.01, 1e-3, 0.3, 7, 8},
                            Expected{Architecture::tutorial28, 0.01, 1e-3, 0.2, 5, 6}}) {
    INFO(name_of(e.architecture));
    Generator g(e.architecture, 3);
    Discriminator d(e.architecture, 3);
    int norms = 0, leaky = 0;
    for (nn::Module* m : {static_cast<nn::Module*>(&g), static_cast<nn::Module*>(&d)}) {
      for (const auto& [name, layer] : m->named_modules()) {
        INFO(name);
        if (auto* bn = dynamic_cast<nn::BatchNorm*>(layer.get())) {
          ++norms;
          CHECK(bn->options().momentum() == e.momentum);
          CHECK(bn->options().eps() == e.eps);
        }
        if (dynamic_cast<nn::LeakyReLU*>(layer.get())) {
          ++leaky;
          CHECK(layer->forward(nn::full({1}, -1.0)).to_vector<float>()[0] == Approx(-e.slope));
        }
      }
    }
    CHECK(norms == e.norms);
    CHECK(leaky == e.leaky);
  }
}
