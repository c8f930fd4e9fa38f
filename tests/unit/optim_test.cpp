#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

namespace {

using Values = std::vector<double>;

// f32 results are compared with the double reference within float rounding.
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 2e-6 : 1e-13;
}

template <class T>
void check_close(const Tensor& t, const Values& expected) {
  const Values got = t.to_vector<double>();
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(got[i] == Approx(expected[i]).epsilon(tolerance<T>()).margin(tolerance<T>()));
  }
}

Tensor parameter(const Values& values, Dtype dtype) {
  return from_vector<double>(values, {static_cast<std::int64_t>(values.size())},
                             TensorOptions().dtype(dtype).requires_grad(true));
}

void set_gradient(const Tensor& p, const Values& g) {
  p.set_grad(from_vector<double>(g, p.shape(), TensorOptions().dtype(p.dtype())));
}

// Adam written out from its definition, one step at a time, in double.
struct AdamReference {
  double lr, beta1, beta2, eps;
  bool keras;
  Values p, m, v;
  int t = 0;

  void step(const Values& g) {
    ++t;
    const double c1 = 1.0 - std::pow(beta1, t), c2 = 1.0 - std::pow(beta2, t);
    for (std::size_t i = 0; i < p.size(); ++i) {
      m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
      if (keras) {
        const double lr_t = lr * std::sqrt(c2) / c1;
        p[i] -= lr_t * m[i] / (std::sqrt(v[i]) + eps);
      } else {
        const double m_hat = m[i] / c1, v_hat = v[i] / c2;
        p[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
      }
    }
  }
};

// SGD from PyTorch's definition, in double.
struct SgdReference {
  double lr, momentum;
  bool nesterov;
  Values p, buf;

  void step(const Values& g) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (momentum == 0) {
        p[i] -= lr * g[i];
        continue;
      }
      buf[i] = momentum * buf[i] + g[i];
      p[i] -= lr * (nesterov ? g[i] + momentum * buf[i] : buf[i]);
    }
  }
};

const Values kStart = {0.5, -1.25, 2.0, 0.75};
const std::vector<Values> kGradients = {
    {0.02, -0.004, 0.3, -0.0015}, {-0.01, -0.006, 0.25, 0.002}, {0.03, 0.001, -0.1, -0.0005}};

}  // namespace

TEMPLATE_TEST_CASE("Adam matches a hand computation in both epsilon conventions", "[optim]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  for (const bool keras : {false, true}) {
    INFO((keras ? "keras" : "pytorch") << " convention");
    // A large eps and small gradients make the two conventions differ visibly.
    AdamReference ref{0.1, 0.8, 0.95, 1e-3, keras, kStart, Values(4, 0.0), Values(4, 0.0)};
    const Tensor p = parameter(kStart, dtype);
    Adam adam({p}, AdamOptions().lr(0.1).beta1(0.8).beta2(0.95).eps(1e-3).convention(
                       keras ? AdamEpsilon::keras : AdamEpsilon::pytorch));
    for (const Values& g : kGradients) {
      set_gradient(p, g);
      adam.step();
      ref.step(g);
      check_close<TestType>(p, ref.p);
    }
    CHECK(adam.steps() == 3);
    const StateDict state = adam.state_dict();
    check_close<TestType>(state.at("group0.param0.exp_avg"), ref.m);
    check_close<TestType>(state.at("group0.param0.exp_avg_sq"), ref.v);
    // In place and invisible to autograd: still the same leaf parameter.
    CHECK(p.is_leaf());
    CHECK(p.requires_grad());
    CHECK_FALSE(p.grad_fn());
  }
}

TEMPLATE_TEST_CASE("the two Adam conventions give different updates", "[optim]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  const Tensor a = parameter(kStart, dtype), b = parameter(kStart, dtype);
  Adam pytorch({a}, AdamOptions().lr(0.1).eps(1e-3));
  Adam keras({b}, AdamOptions().lr(0.1).eps(1e-3).convention(AdamEpsilon::keras));
  set_gradient(a, kGradients[0]);
  set_gradient(b, kGradients[0]);
  pytorch.step();
  keras.step();
  CHECK(a.to_vector<double>()[3] != Approx(b.to_vector<double>()[3]).epsilon(1e-3));
}

TEMPLATE_TEST_CASE("SGD matches a hand computation with and without momentum", "[optim]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  struct Case {
    double momentum;
    bool nesterov;
  };
  for (const Case c : {Case{0.0, false}, Case{0.9, false}, Case{0.9, true}}) {
    INFO("momentum " << c.momentum << (c.nesterov ? " nesterov" : ""));
    SgdReference ref{0.5, c.momentum, c.nesterov, kStart, Values(4, 0.0)};
    const Tensor p = parameter(kStart, dtype);
    SGD sgd({p}, SgdOptions().lr(0.5).momentum(c.momentum).nesterov(c.nesterov));
    for (const Values& g : kGradients) {
      set_gradient(p, g);
      sgd.step();
      ref.step(g);
      check_close<TestType>(p, ref.p);
    }
    const StateDict state = sgd.state_dict();
    CHECK(state.count("group0.param0.momentum_buffer") == (c.momentum > 0 ? 1u : 0u));
    if (c.momentum > 0) check_close<TestType>(state.at("group0.param0.momentum_buffer"), ref.buf);
    CHECK(state.at("group0.lr").item() == 0.5);
  }
}

TEMPLATE_TEST_CASE("parameter groups use their own learning rates", "[optim]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  const Tensor a = parameter(kStart, dtype), b = parameter(kStart, dtype), c = parameter(kStart, dtype);
  // Group 2 has no rate of its own: it takes the options' rate.
  SGD sgd({ParamGroup{{a}, 0.1}, ParamGroup{{b}, 0.01}, ParamGroup{{c}}}, SgdOptions().lr(0.3));
  for (const Tensor& p : {a, b, c}) set_gradient(p, kGradients[0]);
  sgd.step();
  const Values rates = {0.1, 0.01, 0.3};
  const std::vector<Tensor> params = {a, b, c};
  for (std::size_t k = 0; k < params.size(); ++k) {
    SgdReference ref{rates[k], 0.0, false, kStart, {}};
    ref.step(kGradients[0]);
    check_close<TestType>(params[k], ref.p);
  }
  CHECK(sgd.state_dict().at("group2.lr").item() == 0.3);

  const Tensor x = parameter(kStart, dtype), y = parameter(kStart, dtype);
  Adam adam({ParamGroup{{x}, 0.05}, ParamGroup{{y}}}, AdamOptions().lr(0.2));
  AdamReference rx{0.05, 0.9, 0.999, 1e-8, false, kStart, Values(4, 0.0), Values(4, 0.0)};
  AdamReference ry{0.2, 0.9, 0.999, 1e-8, false, kStart, Values(4, 0.0), Values(4, 0.0)};
  for (const Values& g : kGradients) {
    set_gradient(x, g);
    set_gradient(y, g);
    adam.step();
    rx.step(g);
    ry.step(g);
  }
  check_close<TestType>(x, rx.p);
  check_close<TestType>(y, ry.p);
}

TEMPLATE_TEST_CASE("a group built without a learning rate takes the options' rate", "[optim]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  SECTION("Adam") {
    const Tensor p = parameter(kStart, dtype);
    Adam adam({ParamGroup{{p}}}, AdamOptions().lr(0.2));
    AdamReference ref{0.2, 0.9, 0.999, 1e-8, false, kStart, Values(4, 0.0), Values(4, 0.0)};
    for (const Values& g : kGradients) {
      set_gradient(p, g);
      adam.step();
      ref.step(g);
    }
    check_close<TestType>(p, ref.p);
    CHECK(adam.state_dict().at("group0.lr").item() == 0.2);
  }
  SECTION("SGD") {
    const Tensor p = parameter(kStart, dtype);
    SGD sgd({ParamGroup{{p}}}, SgdOptions().lr(0.3).momentum(0.5));
    SgdReference ref{0.3, 0.5, false, kStart, Values(4, 0.0)};
    for (const Values& g : kGradients) {
      set_gradient(p, g);
      sgd.step();
      ref.step(g);
    }
    check_close<TestType>(p, ref.p);
    CHECK(sgd.state_dict().at("group0.lr").item() == 0.3);
  }
}

TEMPLATE_TEST_CASE("parameters without a gradient are skipped, the step count is global", "[optim]", float,
                   double) {
  const Dtype dtype = dtype_of<TestType>();
  const Tensor a = parameter(kStart, dtype), b = parameter(kStart, dtype);
  Adam adam({a, b}, AdamOptions().lr(0.1));
  set_gradient(a, kGradients[0]);
  adam.step();
  CHECK(b.to_vector<double>() == kStart);
  CHECK(adam.state_dict().at("group0.param1.exp_avg").to_vector<double>() == Values(4, 0.0));
  CHECK(adam.state_dict().at("group0.param1.exp_avg_sq").to_vector<double>() == Values(4, 0.0));

  // b's first update is the optimiser's second step: bias correction uses t = 2.
  set_gradient(b, kGradients[1]);
  a.zero_grad();
  adam.step();
  AdamReference ref{0.1, 0.9, 0.999, 1e-8, false, kStart, Values(4, 0.0), Values(4, 0.0), 1};
  ref.step(kGradients[1]);
  check_close<TestType>(b, ref.p);

  SGD sgd({a, b}, SgdOptions().lr(0.1).momentum(0.5));
  const Values before = a.to_vector<double>();
  b.zero_grad();
  set_gradient(a, kGradients[2]);
  sgd.step();
  CHECK(a.to_vector<double>() != before);
  CHECK(sgd.state_dict().at("group0.param1.momentum_buffer").to_vector<double>() == Values(4, 0.0));
}

TEST_CASE("a gradient from backward drives the update and zero_grad drops it", "[optim]") {
  const Tensor p = parameter({1.0, -2.0, 3.0}, Dtype::f64);
  SGD sgd({p}, SgdOptions().lr(0.25));
  sum(p * p).backward();  // gradient 2p
  sgd.step();
  CHECK(p.to_vector<double>() == Values{0.5, -1.0, 1.5});
  sgd.zero_grad();
  CHECK_FALSE(p.grad().defined());
  sgd.step();
  CHECK(p.to_vector<double>() == Values{0.5, -1.0, 1.5});
}

TEST_CASE("a parameter added to a group later gets zero state", "[optim]") {
  const Tensor a = parameter(kStart, Dtype::f64), b = parameter({1.0, 2.0}, Dtype::f32);
  Adam adam({a});
  adam.groups()[0].params.push_back(b);
  const StateDict state = adam.state_dict();
  CHECK(state.at("group0.param1.exp_avg").shape() == Shape{2});
  CHECK(state.at("group0.param1.exp_avg").dtype() == Dtype::f32);
  set_gradient(b, {0.5, -0.5});
  adam.step();
  CHECK(b.to_vector<double>()[0] == Approx(1.0 - 1e-3).epsilon(1e-6));
}

namespace {

// Gradients that depend on the parameters' current values, through autograd.
void compute_gradients(Optimizer& opt, int step) {
  opt.zero_grad();
  for (const ParamGroup& group : opt.groups()) {
    for (const Tensor& p : group.params) {
      const Tensor coef = full(p.shape(), 0.5 + 0.25 * step, TensorOptions().dtype(p.dtype()));
      sum(p * p * coef + p * (0.1 * step - 0.2)).backward();
    }
  }
}

std::vector<Tensor> fresh_copies(const std::vector<Tensor>& params) {
  std::vector<Tensor> copies;
  for (const Tensor& p : params) {
    Tensor c = p.detach().clone();
    c.set_requires_grad(true);
    copies.push_back(c);
  }
  return copies;
}

StateDict deep_copy(const StateDict& state) {
  StateDict copy;
  for (const auto& [name, t] : state) copy[name] = t.clone();
  return copy;
}

void check_bitwise_equal(const StateDict& a, const StateDict& b) {
  REQUIRE(a.size() == b.size());
  for (const auto& [name, t] : a) {
    INFO(name);
    CHECK(b.at(name).to_vector<double>() == t.to_vector<double>());
  }
}

std::vector<ParamGroup> two_groups(const std::vector<Tensor>& params, double lr0, double lr1) {
  return {ParamGroup{{params[0], params[1]}, lr0}, ParamGroup{{params[2]}, lr1}};
}

// Trains `k` steps, snapshots, trains `rest` more; then rebuilds an optimiser
// (with other rates, which the load overrides) on copies of the snapshot's
// parameters, loads and trains `rest` steps. Both runs must agree bitwise.
template <class Opt, class Options>
void check_round_trip(Dtype dtype, Options options, int k, int rest) {
  manual_seed(11);
  std::vector<Tensor> params;
  for (const Shape& s : {Shape{3, 2}, Shape{4}, Shape{2, 2, 2}})
    params.push_back(uniform(s, -1, 1, TensorOptions().dtype(dtype)).set_requires_grad(true));
  Opt first(two_groups(params, 0.05, 0.02), options);
  for (int s = 0; s < k; ++s) {
    compute_gradients(first, s);
    first.step();
  }
  const StateDict saved = deep_copy(first.state_dict());
  const std::vector<Tensor> resumed_params = fresh_copies(params);
  for (int s = k; s < k + rest; ++s) {
    compute_gradients(first, s);
    first.step();
  }

  Opt second(two_groups(resumed_params, 0.5, 0.5), options);
  second.load_state_dict(saved);
  CHECK(second.groups()[0].lr == 0.05);
  CHECK(second.groups()[1].lr == 0.02);
  for (int s = k; s < k + rest; ++s) {
    compute_gradients(second, s);
    second.step();
  }
  for (std::size_t i = 0; i < params.size(); ++i)
    CHECK(resumed_params[i].to_vector<double>() == params[i].to_vector<double>());
  check_bitwise_equal(first.state_dict(), second.state_dict());
}

}  // namespace

TEMPLATE_TEST_CASE("a state dict round trip continues training bitwise", "[optim]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  SECTION("Adam, pytorch convention") { check_round_trip<Adam>(dtype, AdamOptions().lr(0.01), 3, 2); }
  SECTION("Adam, keras convention") {
    check_round_trip<Adam>(dtype, AdamOptions().eps(1e-7).convention(AdamEpsilon::keras), 2, 3);
  }
  SECTION("SGD, nesterov") { check_round_trip<SGD>(dtype, SgdOptions().momentum(0.9).nesterov(true), 3, 2); }
  SECTION("SGD, plain") { check_round_trip<SGD>(dtype, SgdOptions(), 1, 2); }
}

TEST_CASE("the Adam state dict holds the step count and names every entry", "[optim]") {
  const Tensor a = parameter(kStart, Dtype::f32);
  Adam adam({ParamGroup{{a}}}, AdamOptions().lr(0.125));
  set_gradient(a, kGradients[0]);
  adam.step();
  adam.step();
  const StateDict state = adam.state_dict();
  std::vector<std::string> names;
  for (const auto& [name, t] : state) names.push_back(name);
  CHECK(names == std::vector<std::string>{"group0.lr", "group0.param0.exp_avg", "group0.param0.exp_avg_sq", "step"});
  CHECK(state.at("step").dtype() == Dtype::f64);
  CHECK(state.at("step").numel() == 1);
  CHECK(state.at("step").item() == 2.0);
  CHECK(state.at("group0.lr").item() == 0.125);
}

TEST_CASE("loading a bad optimiser state names the entry and changes nothing", "[optim]") {
  const Tensor a = parameter(kStart, Dtype::f64), b = parameter({1.0, 2.0}, Dtype::f64);
  Adam adam({a, b});
  set_gradient(a, kGradients[0]);
  set_gradient(b, {0.1, 0.2});
  adam.step();
  const StateDict good = deep_copy(adam.state_dict());
  const Values moments = adam.state_dict().at("group0.param1.exp_avg").to_vector<double>();

  StateDict missing = good;
  missing.erase("group0.param1.exp_avg");
  CHECK_THROWS_WITH(adam.load_state_dict(missing),
                    Contains("Adam.load_state_dict") && Contains("missing") && Contains("group0.param1.exp_avg"));

  StateDict wrong_shape = good;
  wrong_shape["group0.param1.exp_avg_sq"] = zeros({3}, TensorOptions().dtype(Dtype::f64));
  CHECK_THROWS_WITH(adam.load_state_dict(wrong_shape),
                    Contains("group0.param1.exp_avg_sq") && Contains("[3]") && Contains("[2]"));

  StateDict wrong_dtype = good;
  wrong_dtype["group0.param0.exp_avg"] = zeros({4});
  CHECK_THROWS_WITH(adam.load_state_dict(wrong_dtype), Contains("group0.param0.exp_avg") && Contains("f32"));

  StateDict unexpected = good;
  unexpected["group0.param2.exp_avg"] = zeros({2}, TensorOptions().dtype(Dtype::f64));
  CHECK_THROWS_WITH(adam.load_state_dict(unexpected), Contains("unexpected") && Contains("group0.param2.exp_avg"));

  StateDict bad_step = good;
  bad_step["step"] = scalar(-1.0, TensorOptions().dtype(Dtype::f64));
  CHECK_THROWS_WITH(adam.load_state_dict(bad_step), Contains("step"));

  StateDict zeroed = good;
  zeroed["step"] = scalar(5.0, TensorOptions().dtype(Dtype::f64));
  zeroed["group0.param1.exp_avg"] = zeros({3}, TensorOptions().dtype(Dtype::f64));
  CHECK_THROWS(adam.load_state_dict(zeroed));
  CHECK(adam.steps() == 1);
  CHECK(adam.state_dict().at("group0.param1.exp_avg").to_vector<double>() == moments);

  SGD sgd({a, b}, SgdOptions().momentum(0.9));
  StateDict sgd_state = sgd.state_dict();
  sgd_state.erase("group0.param0.momentum_buffer");
  CHECK_THROWS_WITH(sgd.load_state_dict(sgd_state),
                    Contains("SGD.load_state_dict") && Contains("group0.param0.momentum_buffer"));
}

TEST_CASE("optimiser misuse raises nn::Error", "[optim]") {
  const Tensor a = parameter(kStart, Dtype::f32);
  CHECK_THROWS_WITH(SGD({a, a}), Contains("group0.param1") && Contains("only once"));
  CHECK_THROWS_WITH(Adam({a, Tensor()}), Contains("group0.param1") && Contains("undefined"));
  CHECK_THROWS_WITH(SGD({a}, SgdOptions().nesterov(true)), Contains("SGD") && Contains("nesterov"));
  CHECK_THROWS_WITH(Adam({a}, AdamOptions().beta1(1.0)), Contains("Adam") && Contains("beta1"));
  CHECK_THROWS_WITH(Adam({ParamGroup{{a}, 0.0}}), Contains("Adam") && Contains("group0") && Contains("lr"));
  CHECK_THROWS_WITH(SGD({ParamGroup{{a}, -0.5}}), Contains("SGD") && Contains("group0") && Contains("lr"));
  Adam adam({a});
  a.set_grad(zeros({4}));
  adam.groups()[0].params[0] = parameter({1.0, 2.0}, Dtype::f32);
  adam.groups()[0].params[0].set_grad(zeros({2}));
  CHECK_THROWS_WITH(adam.step(), Contains("adam_update_") && Contains("[2]") && Contains("[4]"));
}
