#include <catch2/catch.hpp>

#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

namespace {

// The AE-AC-GAN encoder trunk at 64x64 with two heads: a model
// with one input and two outputs, composed from layers without special hooks.
class TwoHeadEncoder : public Module {
 public:
  TwoHeadEncoder() : Module("TwoHeadEncoder") {
    trunk = register_module("trunk", std::make_shared<Sequential>());
    trunk->emplace<Conv2d>(Conv2dOptions(3, 32, 4).stride(2).padding(Padding::same()));
    trunk->emplace<LeakyReLU>();
    trunk->emplace<Conv2d>(Conv2dOptions(32, 64, 4).stride(2).padding(Padding::same()));
    trunk->emplace<LeakyReLU>();
    trunk->emplace<Conv2d>(Conv2dOptions(64, 128, 4).stride(2).padding(Padding::same()));
    trunk->emplace<LeakyReLU>();
    trunk->emplace<Flatten>();
    trunk->emplace<Dense>(DenseOptions(8192, 128));
    trunk->emplace<LeakyReLU>();
    y_head = register_module("y", std::make_shared<Dense>(DenseOptions(128, 40)));
    z_head = register_module("z", std::make_shared<Dense>(DenseOptions(128, 200)));
  }
  std::pair<Tensor, Tensor> encode(const Tensor& x) {
    const Tensor h = (*trunk)(x);
    return {sigmoid((*y_head)(h)), sigmoid((*z_head)(h))};
  }
  std::shared_ptr<Sequential> trunk;
  std::shared_ptr<Dense> y_head, z_head;
};

// The AE-AC-GAN generator: two inputs joined by Concatenate.
class Generator : public Module {
 public:
  Generator() : Module("Generator") {
    join = register_module("join", std::make_shared<Concatenate>(1));
    body = register_module("body", std::make_shared<Sequential>());
    body->emplace<Dense>(DenseOptions(240, 8192));
    body->emplace<LeakyReLU>();
    body->emplace<Reshape>(Shape{128, 8, 8});
    body->emplace<ConvTranspose2d>(ConvTranspose2dOptions(128, 128, 4).stride(2).padding(Padding::same()));
    body->emplace<LeakyReLU>();
    body->emplace<ConvTranspose2d>(ConvTranspose2dOptions(128, 64, 4).stride(2).padding(Padding::same()));
    body->emplace<LeakyReLU>();
    body->emplace<ConvTranspose2d>(ConvTranspose2dOptions(64, 32, 4).stride(2).padding(Padding::same()));
    body->emplace<LeakyReLU>();
    body->emplace<Conv2d>(Conv2dOptions(32, 3, 8).padding(Padding::same()));
    body->emplace<Tanh>();
  }
  Tensor generate(const Tensor& y, const Tensor& z) { return (*body)((*join)({y, z})); }
  std::shared_ptr<Concatenate> join;
  std::shared_ptr<Sequential> body;
};

std::int64_t count_params(const Module& m) {
  std::int64_t n = 0;
  for (const Tensor& p : m.parameters()) n += p.numel();
  return n;
}

}  // namespace

TEST_CASE("parameter counts and output shapes match hand computation", "[module]") {
  TwoHeadEncoder encoder;
  // convs: 3*32*16+32, 32*64*16+64, 64*128*16+128; dense 8192*128+128, 128*40+40, 128*200+200
  const std::int64_t expected = (1536 + 32) + (32768 + 64) + (131072 + 128) + (1048576 + 128) + (5120 + 40) +
                                (25600 + 200);
  CHECK(count_params(encoder) == expected);
  const auto [y, z] = encoder.encode(zeros({2, 3, 64, 64}));
  CHECK(y.shape() == Shape{2, 40});
  CHECK(z.shape() == Shape{2, 200});

  Generator g;
  const Tensor image = g.generate(zeros({2, 40}), zeros({2, 200}));
  CHECK(image.shape() == Shape{2, 3, 64, 64});
  // dense 240*8192+8192; convT 128*128*16+128, 128*64*16+64, 64*32*16+32; conv 32*3*64+3
  CHECK(count_params(g) == (240 * 8192 + 8192) + (262144 + 128) + (131072 + 64) + (32768 + 32) + (6144 + 3));
  CHECK(g.named_parameters().front().first == "body.0.weight");
}

TEST_CASE("summary lists layers, output shapes and parameter totals", "[module][summary]") {
  Sequential cnn;
  cnn.emplace<Conv2d>(Conv2dOptions(1, 8, 3).padding(Padding::same()));
  cnn.emplace<BatchNorm2d>(BatchNormOptions(8));
  cnn.emplace<ReLU>();
  cnn.emplace<MaxPool2d>(Size2d{2, 2});
  cnn.emplace<Flatten>();
  cnn.emplace<Dense>(DenseOptions(8 * 14 * 14, 10));
  const std::string table = summary(cnn, Shape{1, 1, 28, 28});
  CHECK_THAT(table, Contains("0 (Conv2d)") && Contains("[N, 8, 28, 28]") && Contains("3 (MaxPool2d)") &&
                        Contains("[N, 8, 14, 14]") && Contains("[N, 1568]") && Contains("[N, 10]"));
  // conv 72+8, bn 8+8 trainable and 16 running statistics, dense 15680+10
  CHECK_THAT(table, Contains("Trainable params: 15786") && Contains("Non-trainable params: 16") &&
                        Contains("Total params: 15802"));
  CHECK(cnn.is_training());
}

TEST_CASE("a frozen module is bitwise unchanged and gets no gradients", "[module][freeze]") {
  manual_seed(5);
  Dense g_layer(DenseOptions(4, 3));
  Dense d_layer(DenseOptions(3, 1));
  const StateDict before = [&] {
    StateDict copy;
    for (const auto& [name, t] : d_layer.state_dict()) copy[name] = t.clone();
    return copy;
  }();
  d_layer.freeze();
  // One optimiser over both models, as a careless GAN loop might build it.
  std::vector<Tensor> all = g_layer.parameters();
  for (const Tensor& p : d_layer.parameters()) all.push_back(p);
  Adam adam(all, AdamOptions().lr(0.1));
  const Tensor x = uniform({5, 4}, -1, 1);
  const Tensor loss = mean(sigmoid(d_layer(g_layer(x))));
  loss.backward();
  adam.step();
  for (const auto& [name, t] : d_layer.named_parameters()) {
    CHECK_FALSE(t.grad().defined());
    CHECK(t.to_vector<float>() == before.at(name).to_vector<float>());
  }
  for (const Tensor& p : g_layer.parameters()) CHECK(p.grad().defined());
  d_layer.unfreeze();
  CHECK(d_layer.weight.requires_grad());
}

TEST_CASE("train/eval reaches children, and dropout and noise only act in training", "[module]") {
  Sequential m;
  m.emplace<Dropout>(0.5);
  m.emplace<GaussianNoise>(1.0);
  const Tensor x = ones({4, 16});
  m.eval();
  CHECK(m(x).to_vector<float>() == x.to_vector<float>());
  m.train();
  CHECK(m.children()[0].second->is_training());
  CHECK(m(x).to_vector<float>() != x.to_vector<float>());
}

TEST_CASE("initialisers follow their formulas", "[module][init]") {
  manual_seed(9);
  Dense glorot(DenseOptions(300, 100));
  const double limit = std::sqrt(6.0 / 400.0);
  double lo = 0, hi = 0;
  for (float v : glorot.weight.to_vector<float>()) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
  CHECK(hi <= limit);
  CHECK(lo >= -limit);
  CHECK(hi > 0.95 * limit);
  CHECK(glorot.bias.to_vector<float>() == std::vector<float>(100, 0.0f));
  Conv2d conv(Conv2dOptions(16, 8, 3).weight_init(Initializer::normal(0.0, 0.01)));
  const Tensor w = conv.weight;
  const double m = mean(w).item();
  const double sd = std::sqrt(mean(mul(w - m, w - m)).item());
  CHECK(sd == Approx(0.01).margin(0.001));
  Dense torch_like(DenseOptions(64, 10).weight_init(Initializer::kaiming_uniform()));
  for (float v : torch_like.weight.to_vector<float>()) REQUIRE(std::abs(v) <= 1.0 / 8.0);
  Dense constant(DenseOptions(2, 2).weight_init(Initializer::constant(0.5)).bias_init(Initializer::ones()));
  CHECK(constant.weight.to_vector<float>() == std::vector<float>(4, 0.5f));
  CHECK(constant.bias.to_vector<float>() == std::vector<float>(2, 1.0f));
}

TEST_CASE("state dicts round trip and refuse mismatches", "[module][state]") {
  manual_seed(1);
  Sequential a, b;
  a.emplace<Dense>(DenseOptions(3, 2));
  a.emplace<BatchNorm1d>(BatchNormOptions(2));
  b.emplace<Dense>(DenseOptions(3, 2));
  b.emplace<BatchNorm1d>(BatchNormOptions(2));
  b.load_state_dict(a.state_dict());
  for (const auto& [name, t] : a.state_dict()) CHECK(t.to_vector<float>() == b.state_dict().at(name).to_vector<float>());
  CHECK(a.state_dict().count("1.running_mean") == 1);
  Sequential c;
  c.emplace<Dense>(DenseOptions(3, 4));
  CHECK_THROWS_WITH(c.load_state_dict(a.state_dict()), Contains("0.bias") && Contains("[2]") && Contains("[4]"));
  a.to(Dtype::f64);
  CHECK(a.parameters()[0].dtype() == Dtype::f64);
}

TEST_CASE("ConvTranspose2d same gives input * stride, also when the kernel is smaller than the stride",
          "[module][conv]") {
  for (const auto& [kernel, stride] : std::vector<std::pair<std::int64_t, std::int64_t>>{{4, 2}, {3, 2}, {5, 2}, {1, 2}, {2, 3}}) {
    ConvTranspose2d up(ConvTranspose2dOptions(2, 3, kernel).stride(stride).padding(Padding::same()));
    INFO("kernel " << kernel << " stride " << stride);
    CHECK(up(zeros({1, 2, 5, 7})).shape() == Shape{1, 3, 5 * stride, 7 * stride});
  }
}
