#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>

#include "celeba_autoencoders/models.hpp"
#include "celeba_autoencoders/trainer.hpp"

using namespace autoencoders;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

const std::vector<ModelKind> kAll = {ModelKind::encoder1, ModelKind::encoder2, ModelKind::model1,
                                     ModelKind::model2,   ModelKind::model3,   ModelKind::model4};
const std::vector<ModelKind> kAutoencoders = {ModelKind::model1, ModelKind::model2, ModelKind::model3,
                                              ModelKind::model4};

std::shared_ptr<nn::Module> build(ModelKind kind) {
  if (is_encoder(kind)) return std::make_shared<AttributeEncoder>(kind);
  return std::make_shared<Autoencoder>(kind);
}

// Parameters by hand: a layer's weights plus its bias; a batch norm's scale
// and shift are trainable, its running mean and variance are not.
struct Counts {
  std::int64_t trainable = 0, running = 0;
};
Counts operator+(Counts a, Counts b) { return {a.trainable + b.trainable, a.running + b.running}; }
Counts layer(std::int64_t weights, std::int64_t bias) { return {weights + bias, 0}; }
Counts bn(std::int64_t c) { return {2 * c, 2 * c}; }

Counts encoder1_counts() {  // 3x3 convolutions, then Dense 256 -> 128 -> 40
  return layer(3 * 8 * 9, 8) + layer(8 * 16 * 9, 16) + layer(16 * 32 * 9, 32) + layer(32 * 64 * 9, 64) +
         layer(64 * 128 * 9, 128) + layer(128 * 256 * 9, 256) + layer(256 * 128, 128) + layer(128 * 40, 40);
}

Counts encoder2_counts() {  // four 5x5 and three 3x3 convolutions, then Dense 512 -> 256 -> 40
  return layer(3 * 8 * 25, 8) + layer(8 * 16 * 25, 16) + layer(16 * 32 * 25, 32) + layer(32 * 64 * 25, 64) +
         layer(64 * 128 * 9, 128) + layer(128 * 256 * 9, 256) + layer(256 * 512 * 9, 512) + layer(512 * 256, 256) +
         layer(256 * 40, 40);
}

Counts expected_counts(ModelKind kind) {
  switch (kind) {
    case ModelKind::encoder1:
      return encoder1_counts();
    case ModelKind::encoder2:
      return encoder2_counts();
    case ModelKind::model1:  // Dense 40 -> 128 -> 256, 4x4 transposed convolutions 256 -> ... -> 3
      return encoder1_counts() + layer(40 * 128, 128) + layer(128 * 256, 256) + layer(256 * 128 * 16, 128) +
             layer(128 * 64 * 16, 64) + layer(64 * 32 * 16, 32) + layer(32 * 16 * 16, 16) + layer(16 * 8 * 16, 8) +
             layer(8 * 3 * 16, 3);
    case ModelKind::model2:  // 3x3 convolutions, Dense 256 -> 170 -> 84 | 84 -> 199 -> 398 -> 512, 4x4 up
      return layer(3 * 16 * 9, 16) + layer(16 * 32 * 9, 32) + layer(32 * 64 * 9, 64) + layer(64 * 128 * 9, 128) +
             layer(128 * 256 * 9, 256) + layer(256 * 170, 170) + layer(170 * 84, 84) + layer(84 * 199, 199) +
             layer(199 * 398, 398) + layer(398 * 512, 512) + layer(512 * 256 * 16, 256) + layer(256 * 128 * 16, 128) +
             layer(128 * 64 * 16, 64) + layer(64 * 32 * 16, 32) + layer(32 * 16 * 16, 16) + layer(16 * 3 * 16, 3);
    case ModelKind::model3:  // Dense 40 -> 256 -> 512, three 4x4 and four 6x6 transposed convolutions
      return encoder2_counts() + layer(40 * 256, 256) + layer(256 * 512, 512) + layer(512 * 256 * 16, 256) +
             layer(256 * 128 * 16, 128) + layer(128 * 64 * 16, 64) + layer(64 * 32 * 36, 32) + layer(32 * 16 * 36, 16) +
             layer(16 * 8 * 36, 8) + layer(8 * 3 * 36, 3);
    case ModelKind::model4:  // 3x3 convolutions and 4x4 transposed ones, batch norm after all but the last
      return layer(3 * 16 * 9, 16) + bn(16) + layer(16 * 32 * 9, 32) + bn(32) + layer(32 * 64 * 9, 64) + bn(64) +
             layer(64 * 128 * 9, 128) + bn(128) + layer(128 * 256 * 9, 256) + bn(256) + layer(256 * 512 * 9, 512) +
             bn(512) + layer(2048 * 512, 512) + bn(512) + layer(512 * 128, 128) + bn(128) +  // the encoder
             layer(128 * 512, 512) + bn(512) + layer(512 * 2048, 2048) + bn(2048) + layer(512 * 256 * 16, 256) +
             bn(256) + layer(256 * 128 * 16, 128) + bn(128) + layer(128 * 64 * 16, 64) + bn(64) +
             layer(64 * 32 * 16, 32) + bn(32) + layer(32 * 16 * 16, 16) + bn(16) + layer(16 * 3 * 16, 3);
  }
  return {};
}

Counts counted(const nn::Module& m) {
  Counts c;
  for (const nn::Tensor& p : m.parameters()) c.trainable += p.numel();
  for (const auto& [name, b] : m.named_buffers()) c.running += b.numel();
  return c;
}

std::map<std::string, std::vector<float>> snapshot(const nn::Module& m) {
  std::map<std::string, std::vector<float>> out;
  for (const auto& [name, t] : m.state_dict()) out[name] = t.to_vector<float>();
  return out;
}

std::vector<std::string> names_of(const nn::StateDict& state) {
  std::vector<std::string> names;
  for (const auto& [name, t] : state) names.push_back(name);
  return names;
}

double max_abs(const nn::Tensor& t) {
  double largest = 0;
  for (float v : t.to_vector<float>()) largest = std::max(largest, std::abs(static_cast<double>(v)));
  return largest;
}

// Mean BCE of sigmoid(logits) against targets, by hand.
double bce_by_hand(const std::vector<float>& logits, const std::vector<float>& targets) {
  double sum = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(logits[i])));
    sum += -(targets[i] * std::log(p) + (1 - targets[i]) * std::log(1 - p));
  }
  return sum / static_cast<double>(logits.size());
}

nn::Tensor images_for(ModelKind kind, std::int64_t n) {
  const std::int64_t s = image_size_of(kind);
  return nn::uniform({n, 3, s, s}, 0, 1);
}

nn::Tensor labels_for(std::int64_t n) {
  std::vector<float> values(static_cast<std::size_t>(n * kAttributes));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>((i * 7 + i / 3) % 2);
  return nn::from_vector(values, {n, kAttributes});
}

}  // namespace

TEST_CASE("model names round-trip and each model's size, latent and pretrained encoder", "[autoencoders]") {
  CHECK(model_names() == std::vector<std::string>{"encoder1", "encoder2", "model1", "model2", "model3", "model4"});
  for (ModelKind k : kAll) CHECK(model_from_name(name_of(k)) == k);
  CHECK_THROWS_WITH(model_from_name("model5"), Contains("model5") && Contains("encoder1") && Contains("model4"));
  const std::map<ModelKind, std::int64_t> sizes = {{ModelKind::encoder1, 64}, {ModelKind::encoder2, 128},
                                                   {ModelKind::model1, 64},   {ModelKind::model2, 64},
                                                   {ModelKind::model3, 128},  {ModelKind::model4, 128}};
  const std::map<ModelKind, std::int64_t> latents = {{ModelKind::encoder1, 40}, {ModelKind::encoder2, 40},
                                                     {ModelKind::model1, 40},   {ModelKind::model2, 84},
                                                     {ModelKind::model3, 40},   {ModelKind::model4, 128}};
  for (ModelKind k : kAll) {
    INFO(name_of(k));
    CHECK(image_size_of(k) == sizes.at(k));
    CHECK(latent_size_of(k) == latents.at(k));
    CHECK(is_encoder(k) == (k == ModelKind::encoder1 || k == ModelKind::encoder2));
  }
  CHECK(pretrained_encoder_of(ModelKind::model1) == ModelKind::encoder1);
  CHECK(pretrained_encoder_of(ModelKind::model3) == ModelKind::encoder2);
  for (ModelKind k : {ModelKind::encoder1, ModelKind::encoder2, ModelKind::model2, ModelKind::model4})
    CHECK_FALSE(pretrained_encoder_of(k).has_value());
  CHECK_THROWS_AS(AttributeEncoder(ModelKind::model1), nn::Error);
  CHECK_THROWS_AS(Autoencoder(ModelKind::encoder2), nn::Error);
}

TEST_CASE("every model has the published architecture's parameter count", "[autoencoders]") {
  // PyTorch counts 431608, 1758712, 1168883, 3546204, 4751443 and 6608339
  // trainable numbers (model4 also 9408 running statistics).
  for (ModelKind k : kAll) {
    INFO(name_of(k));
    const Counts expected = expected_counts(k), got = counted(*build(k));
    CHECK(got.trainable == expected.trainable);
    CHECK(got.running == expected.running);
  }
}

TEST_CASE("encoders give 40 attributes and autoencoders images of their size at batch 2", "[autoencoders]") {
  nn::manual_seed(2);
  for (ModelKind k : {ModelKind::encoder1, ModelKind::encoder2}) {
    INFO(name_of(k));
    AttributeEncoder e(k);
    const nn::Tensor images = images_for(k, 2);
    CHECK(e.logits(images).shape() == nn::Shape{2, kAttributes});
    const std::vector<float> p = e.probabilities(images).to_vector<float>();
    REQUIRE(p.size() == 2 * kAttributes);
    CHECK(std::all_of(p.begin(), p.end(), [](float v) { return v > 0 && v < 1; }));
    CHECK_THROWS_AS(e.logits(images_for(k == ModelKind::encoder1 ? ModelKind::encoder2 : ModelKind::encoder1, 2)),
                    nn::Error);
  }
  for (ModelKind k : kAutoencoders) {
    INFO(name_of(k));
    Autoencoder a(k);
    const std::int64_t s = image_size_of(k), l = latent_size_of(k);
    const nn::Tensor latent = a.encode(images_for(k, 2));
    REQUIRE(latent.shape() == nn::Shape{2, l});
    CHECK(a.decode_logits(latent).shape() == nn::Shape{2, 3, s, s});
    const nn::Tensor images = a.decode(latent);
    REQUIRE(images.shape() == nn::Shape{2, 3, s, s});
    const std::vector<float> v = images.to_vector<float>();
    CHECK(*std::min_element(v.begin(), v.end()) > 0.0f);
    CHECK(*std::max_element(v.begin(), v.end()) < 1.0f);
    CHECK(a.forward(images_for(k, 2)).shape() == nn::Shape{2, 3, s, s});
    CHECK_THROWS_AS(a.decode_logits(nn::zeros({2, l + 1})), nn::Error);
    CHECK_THROWS_AS(a.encode(nn::zeros({2, 3, s / 2, s / 2})), nn::Error);
  }
}

TEST_CASE("model1's and model3's latent is their attribute encoder's probabilities", "[autoencoders]") {
  nn::manual_seed(6);
  for (ModelKind k : {ModelKind::model1, ModelKind::model3}) {
    INFO(name_of(k));
    Autoencoder a(k);
    auto* encoder = dynamic_cast<AttributeEncoder*>(a.encoder.get());
    REQUIRE(encoder != nullptr);
    CHECK(encoder->kind() == *pretrained_encoder_of(k));
    const nn::Tensor images = images_for(k, 2);
    CHECK(a.encode(images).to_vector<float>() == encoder->probabilities(images).to_vector<float>());
  }
}

TEST_CASE("ReLU and LeakyReLU (slope 0.01) sit where the published models have them", "[autoencoders]") {
  // model1: 7 ReLU in encoder1, 2 + 5 in the decoder; model2: 5 + 1, 3 + 5;
  // model3: 7 + 1 ReLU in encoder2, 4 LeakyReLU and 4 ReLU in the decoder;
  // model4: LeakyReLU only, 6 + 1 and 2 + 5, with 15 batch norms.
  struct Expected {
    ModelKind kind;
    int relu, leaky, norms;
  };
  for (const Expected& e : {Expected{ModelKind::encoder1, 7, 0, 0}, Expected{ModelKind::encoder2, 8, 0, 0},
                            Expected{ModelKind::model1, 14, 0, 0}, Expected{ModelKind::model2, 14, 0, 0},
                            Expected{ModelKind::model3, 12, 4, 0}, Expected{ModelKind::model4, 0, 14, 15}}) {
    INFO(name_of(e.kind));
    int relu = 0, leaky = 0, norms = 0;
    for (const auto& [name, m] : build(e.kind)->named_modules()) {
      INFO(name);
      if (dynamic_cast<nn::ReLU*>(m.get())) ++relu;
      if (dynamic_cast<nn::LeakyReLU*>(m.get())) {
        ++leaky;
        CHECK(m->forward(nn::full({1}, -1.0)).to_vector<float>()[0] == Approx(-0.01));
      }
      if (auto* b = dynamic_cast<nn::BatchNorm*>(m.get())) {
        ++norms;
        CHECK(b->options().momentum() == 0.1);
        CHECK(b->options().eps() == 1e-5);
      }
    }
    CHECK(relu == e.relu);
    CHECK(leaky == e.leaky);
    CHECK(norms == e.norms);
  }
}

TEST_CASE("weights and biases start U(-b, b) with PyTorch's b = 1/sqrt(fan_in), transposed fans by out channels",
          "[autoencoders]") {
  nn::manual_seed(13);
  for (ModelKind k : kAll) {
    const auto model = build(k);
    int layers = 0;
    for (const auto& [name, m] : model->named_modules()) {
      INFO(name_of(k) << " " << name);
      nn::Tensor weight, bias;
      std::int64_t fan_in = 0;
      if (auto* d = dynamic_cast<nn::Dense*>(m.get())) {
        weight = d->weight, bias = d->bias, fan_in = d->options().in();
      } else if (auto* c = dynamic_cast<nn::Conv2d*>(m.get())) {
        const auto& o = c->options();
        weight = c->weight, bias = c->bias, fan_in = o.in() * o.kernel().h * o.kernel().w;
      } else if (auto* t = dynamic_cast<nn::ConvTranspose2d*>(m.get())) {
        const auto& o = t->options();
        weight = t->weight, bias = t->bias, fan_in = o.out() * o.kernel().h * o.kernel().w;
      } else if (auto* b = dynamic_cast<nn::BatchNorm*>(m.get())) {
        CHECK(b->weight.to_vector<float>() == std::vector<float>(b->weight.numel(), 1.0f));
        CHECK(b->bias.to_vector<float>() == std::vector<float>(b->bias.numel(), 0.0f));
        continue;
      } else {
        continue;
      }
      ++layers;
      REQUIRE(bias.defined());
      const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
      const double slack = 1 + 1e-6;  // the bound rounded to float
      CHECK(max_abs(weight) <= bound * slack);
      CHECK(max_abs(bias) <= bound * slack);
      // Draws that fill the range: the largest of n uniform draws falls below
      // 0.8 b with probability 0.8^n.
      if (weight.numel() >= 100) CHECK(max_abs(weight) > 0.8 * bound);
      if (bias.numel() >= 40) CHECK(max_abs(bias) > 0.8 * bound);
    }
    CHECK(layers > 0);
  }
}

TEST_CASE("an encoder's state dict names are the same alone and inside its autoencoder", "[autoencoders]") {
  for (ModelKind k : {ModelKind::model1, ModelKind::model3}) {
    INFO(name_of(k));
    Autoencoder a(k);
    AttributeEncoder e(*pretrained_encoder_of(k));
    const std::vector<std::string> alone = names_of(e.state_dict());
    CHECK(alone.front().rfind("body.", 0) == 0);
    CHECK(names_of(a.encoder->state_dict()) == alone);
    for (const std::string& name : alone) CHECK(a.state_dict().count("encoder." + name) == 1);
    CHECK(a.decoder->state_dict().size() > 0);
    for (const auto& [name, t] : a.decoder->state_dict()) CHECK(a.state_dict().count("decoder." + name) == 1);
  }
}

TEST_CASE("an encoder1 checkpoint loads into model1's encoder and gives the same outputs", "[autoencoders]") {
  nn::manual_seed(17);
  const fs::path dir = fs::temp_directory_path() / ("libnn_autoencoders_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "encoder1.safetensors").string();
  Trainer encoder_run(ModelKind::encoder1, 1e-3, nn::Device::cpu());
  const nn::Tensor images = images_for(ModelKind::encoder1, 3);
  encoder_run.step(images, labels_for(3));
  nn::save_checkpoint(path, encoder_run.checkpoint_parts());

  Autoencoder model1(ModelKind::model1);
  nn::NoGradGuard no_grad;
  const std::vector<float> expected = encoder_run.encoder->probabilities(images).to_vector<float>();
  CHECK(model1.encode(images).to_vector<float>() != expected);
  const nn::StateDict saved = nn::load_safetensors(path).tensors;
  model1.encoder->load_state_dict(nn::select_prefixed(saved, "encoder"));
  CHECK(model1.encode(images).to_vector<float>() == expected);
  fs::remove_all(dir);
}

TEST_CASE("training model3 leaves its frozen encoder bitwise unchanged and changes its decoder", "[autoencoders]") {
  nn::manual_seed(19);
  Trainer t(ModelKind::model3, 1e-3, nn::Device::cpu());
  const nn::Tensor images = images_for(ModelKind::model3, 2), labels = labels_for(2);
  const auto encoder_before = snapshot(*t.autoencoder->encoder), decoder_before = snapshot(*t.autoencoder->decoder);
  for (int i = 0; i < 3; ++i) CHECK(std::isfinite(t.step(images, labels)));
  CHECK(snapshot(*t.autoencoder->encoder) == encoder_before);
  // Frozen, not merely left out of Adam: no gradient reaches it.
  for (const nn::Tensor& p : t.autoencoder->encoder->parameters()) {
    CHECK_FALSE(p.requires_grad());
    CHECK_FALSE(p.grad().defined());
  }
  const auto decoder_after = snapshot(*t.autoencoder->decoder);
  for (const auto& [name, values] : decoder_before) {
    INFO(name);
    CHECK(decoder_after.at(name) != values);
  }
  CHECK(t.optimizer.steps() == 3);
}

TEST_CASE("training changes every tensor of every other model: model1 fine-tunes its encoder", "[autoencoders]") {
  for (ModelKind k :
       {ModelKind::encoder1, ModelKind::encoder2, ModelKind::model1, ModelKind::model2, ModelKind::model4}) {
    nn::manual_seed(23);
    Trainer t(k, 1e-3, nn::Device::cpu());
    const nn::Tensor images = images_for(k, 2), labels = labels_for(2);
    const auto before = snapshot(t.model());
    for (int i = 0; i < 2; ++i) CHECK(std::isfinite(t.step(images, labels)));
    const auto after = snapshot(t.model());
    for (const auto& [name, values] : before) {
      INFO(name_of(k) << " " << name);
      CHECK(after.at(name) != values);
    }
  }
}

TEST_CASE("the trainer's loss is mean BCE: attributes for an encoder, pixels for an autoencoder", "[autoencoders]") {
  nn::manual_seed(29);
  {
    Trainer t(ModelKind::encoder1, 1e-3, nn::Device::cpu());
    const nn::Tensor images = images_for(ModelKind::encoder1, 2), labels = labels_for(2);
    std::vector<float> logits;
    {
      nn::NoGradGuard no_grad;
      logits = t.encoder->logits(images).to_vector<float>();
    }
    const double expected = bce_by_hand(logits, labels.to_vector<float>());
    CHECK(t.loss(images, labels).item() == Approx(expected).epsilon(1e-5));
    CHECK(t.step(images, labels) == Approx(expected).epsilon(1e-5));  // the loss before the update
    CHECK(t.loss(images, labels).item() != Approx(expected).epsilon(1e-6));
  }
  {
    Trainer t(ModelKind::model2, 1e-3, nn::Device::cpu());
    const nn::Tensor images = images_for(ModelKind::model2, 1);
    std::vector<float> logits;
    {
      nn::NoGradGuard no_grad;
      logits = t.autoencoder->decode_logits(t.autoencoder->encode(images)).to_vector<float>();
    }
    const double expected = bce_by_hand(logits, images.to_vector<float>());
    CHECK(t.loss(images, labels_for(1)).item() == Approx(expected).epsilon(1e-5));
  }
}
