#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "acgan_celeba/config.hpp"
#include "acgan_celeba/trainer.hpp"

using namespace acgan;

namespace {

std::vector<float> random_labels(std::int64_t rows) {
  std::vector<float> labels;
  const std::vector<float> u = nn::uniform({rows, kAttributes}, 0, 1).to_vector<float>();
  for (float v : u) labels.push_back(v < 0.3f ? 1.0f : 0.0f);
  return labels;
}

std::map<std::string, std::vector<float>> snapshot(const nn::Module& m) {
  std::map<std::string, std::vector<float>> out;
  for (const auto& [name, t] : m.state_dict()) out[name] = t.to_vector<float>();
  return out;
}

Config tiny_config() {
  Config c;
  c.batch = 4;
  return c;
}

// Mean BCE of probabilities p against one target t, by hand.
double bce_by_hand(const std::vector<float>& p, const std::vector<float>& t) {
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double q = std::clamp<double>(p[i], 1e-7, 1 - 1e-7);
    sum += -(t[i] * std::log(q) + (1 - t[i]) * std::log(1 - q));
  }
  return sum / static_cast<double>(p.size());
}

// Row r of a code batch: every dimension r + 1, so rows are told apart by any value.
nn::Tensor numbered_codes(std::int64_t rows, std::int64_t first) {
  std::vector<float> codes(static_cast<std::size_t>(rows * kLatent));
  for (std::int64_t r = 0; r < rows; ++r)
    std::fill_n(codes.begin() + r * kLatent, kLatent, static_cast<float>(first + r + 1));
  return nn::from_vector(codes, {rows, kLatent});
}

// The first value of each latent row (all values of a row are equal here).
std::vector<float> first_values(const nn::Tensor& latents) {
  const std::vector<float> all = latents.to_vector<float>();
  std::vector<float> firsts;
  for (std::size_t i = 0; i < all.size(); i += kLatent) firsts.push_back(all[i]);
  return firsts;
}

// Noise rows whose first value is the given number, the rest 0.
nn::Tensor noise_with_first(const std::vector<float>& firsts) {
  std::vector<float> noise(firsts.size() * kLatent, 0.0f);
  for (std::size_t i = 0; i < firsts.size(); ++i) noise[i * kLatent] = firsts[i];
  return nn::from_vector(noise, {static_cast<std::int64_t>(firsts.size()), kLatent});
}

}  // namespace

TEST_CASE("the generator sub-step leaves D bitwise unchanged, the autoencoder sub-step changes only E and G",
          "[acgan]") {
  nn::manual_seed(11);
  Trainer t(tiny_config(), nn::Device::cpu(), random_labels(16));
  const nn::Tensor images = nn::uniform({4, 3, 64, 64}, -1, 1);
  StepMetrics m;
  const auto d_before = snapshot(t.discriminator);
  const auto g_before = snapshot(t.generator);
  t.generator_step(t.sample_attributes(4), t.sample_z(4), m);
  CHECK(snapshot(t.discriminator) == d_before);
  CHECK(snapshot(t.generator) != g_before);
  for (const nn::Tensor& p : t.discriminator.parameters()) CHECK_FALSE(p.grad().defined());
  CHECK(t.discriminator.parameters().front().requires_grad());  // unfrozen again

  const auto e_mid = snapshot(t.encoder);
  const auto g_mid = snapshot(t.generator);
  const auto d_mid = snapshot(t.discriminator);
  t.autoencoder_step(images, nn::from_vector(random_labels(4), {4, kAttributes}), m);
  CHECK(snapshot(t.discriminator) == d_mid);
  CHECK(snapshot(t.encoder) != e_mid);
  CHECK(snapshot(t.generator) != g_mid);
  CHECK(std::isfinite(m.ae_loss));
}

TEST_CASE("the autoencoder attribute weight adds BCE of E's y head on the real labels to its sub-step", "[acgan]") {
  const std::vector<float> train_labels = random_labels(16);
  const nn::Tensor images = nn::uniform({3, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(3), {3, kAttributes});
  Config weighted_config = tiny_config();
  weighted_config.ae_attr_weight = 2.0;
  nn::manual_seed(13);
  Trainer plain(tiny_config(), nn::Device::cpu(), train_labels);
  nn::manual_seed(13);
  Trainer weighted(weighted_config, nn::Device::cpu(), train_labels);
  std::vector<float> p;
  {
    nn::NoGradGuard no_grad;
    p = plain.encoder.encode(images).first.to_vector<float>();
  }
  StepMetrics m_plain, m_weighted;
  plain.autoencoder_step(images, labels, m_plain);
  weighted.autoencoder_step(images, labels, m_weighted);
  CHECK(m_weighted.ae_loss == m_plain.ae_loss);  // the logged loss stays the MAE
  // Mean BCE over 3 x 40 sigmoid outputs adds weight * (p - t) / 120 to each
  // logit's gradient, so to the y head's bias gradient its sum over the batch.
  const std::vector<float> t = labels.to_vector<float>();
  const std::vector<float> g_plain = plain.encoder.y_head->bias.grad().to_vector<float>();
  const std::vector<float> g_weighted = weighted.encoder.y_head->bias.grad().to_vector<float>();
  for (std::int64_t j = 0; j < kAttributes; ++j) {
    double expected = 0;
    for (std::int64_t i = 0; i < 3; ++i) expected += 2.0 * (p[i * kAttributes + j] - t[i * kAttributes + j]) / 120.0;
    CHECK(g_weighted[j] - g_plain[j] == Approx(expected).margin(1e-6));
  }
}

TEST_CASE("the read weights add the frozen E's reading of G's images to G's sub-step", "[acgan][code]") {
  const std::vector<float> train_labels = random_labels(16);
  Config weighted_config = tiny_config();
  weighted_config.g_read_y_weight = 2.0;
  weighted_config.g_read_z_weight = 3.0;
  nn::manual_seed(14);
  Trainer plain(tiny_config(), nn::Device::cpu(), train_labels);
  nn::manual_seed(14);
  Trainer weighted(weighted_config, nn::Device::cpu(), train_labels);
  nn::manual_seed(14);
  Trainer by_hand(tiny_config(), nn::Device::cpu(), train_labels);
  const nn::Tensor wanted_y = nn::from_vector(random_labels(3), {3, kAttributes});
  const nn::Tensor z = nn::uniform({3, kLatent}, 0, 1);
  const auto e_before = snapshot(weighted.encoder);
  StepMetrics m_plain, m_weighted;
  plain.generator_step(wanted_y, z, m_plain);
  weighted.generator_step(wanted_y, z, m_weighted);
  CHECK(snapshot(weighted.encoder) == e_before);
  for (const nn::Tensor& p : weighted.encoder.parameters()) {
    CHECK_FALSE(p.grad().defined());
    CHECK(p.requires_grad());  // unfrozen again
  }
  CHECK(m_weighted.g_loss_w == m_plain.g_loss_w);  // the logged losses are D's alone
  CHECK(m_weighted.g_loss_y == m_plain.g_loss_y);

  // G's gradient is the plain one plus that of 2 BCE(E_y(G), y') + 3 MAE(E_z(G), z).
  by_hand.encoder.freeze();
  const nn::Tensor generated = by_hand.generator.generate(wanted_y, z);
  const auto [read_y, read_z] = by_hand.encoder.encode(generated);
  (nn::bce(read_y, wanted_y) * 2.0 + nn::mae(read_z, z) * 3.0).backward();
  const std::vector<nn::Tensor> g_plain = plain.generator.parameters(), g_weighted = weighted.generator.parameters(),
                                g_code = by_hand.generator.parameters();
  double worst = 0, code_size = 0;
  for (std::size_t i = 0; i < g_code.size(); ++i) {
    const std::vector<float> a = g_plain[i].grad().to_vector<float>(), b = g_weighted[i].grad().to_vector<float>(),
                             c = g_code[i].grad().to_vector<float>();
    for (std::size_t j = 0; j < a.size(); ++j) {
      worst = std::max(worst, std::abs(static_cast<double>(b[j]) - a[j] - c[j]));
      code_size = std::max(code_size, std::abs(static_cast<double>(c[j])));
    }
  }
  CHECK(worst < 1e-6);
  CHECK(code_size > 1e-5);  // far above the rounding differences checked above
}

TEST_CASE("the autoencoder sub-step decodes E's z plus normal noise of --ae-z-noise's deviation", "[acgan][code]") {
  Config noisy_config = tiny_config();
  noisy_config.ae_z_noise = 0.25;
  noisy_config.z_dist = "codes";
  nn::manual_seed(15);
  Trainer noisy(noisy_config, nn::Device::cpu(), random_labels(16));
  const nn::Tensor images = nn::uniform({3, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(3), {3, kAttributes});
  double expected = 0, clean = 0;
  nn::Tensor code_z;
  {
    nn::NoGradGuard no_grad;
    // Weights larger than the N(0, 0.01) start, so that G's output moves with z.
    for (nn::Tensor& p : noisy.generator.parameters()) nn::copy_(p, nn::normal(p.shape(), 0, 0.1));
    const auto [code_y, z] = noisy.encoder.encode(images);
    code_z = z;
    nn::manual_seed(16);
    const nn::Tensor noise = nn::normal({3, kLatent}, 0, 0.25);
    expected = nn::mae(noisy.generator.generate(code_y, code_z + noise), images).item();
    clean = nn::mae(noisy.generator.generate(code_y, code_z), images).item();
  }
  StepMetrics m;
  nn::manual_seed(16);
  noisy.autoencoder_step(images, labels, m);
  CHECK(m.ae_loss == Approx(expected).epsilon(1e-6));
  CHECK(std::abs(m.ae_loss - clean) > 1e-3);
  // The bank keeps the codes without the noise.
  const std::vector<float> banked = dynamic_cast<CodeBank&>(*noisy.latent_source).codes.to_vector<float>();
  const std::vector<float> codes = code_z.to_vector<float>();
  CHECK(std::vector<float>(banked.begin(), banked.begin() + 3 * kLatent) == codes);
}

TEST_CASE("with the option --ae-y labels the autoencoder sub-step decodes the face's own labels", "[acgan][code]") {
  Config config = tiny_config();
  config.ae_attr_weight = 2.0;
  config.ae_y = "labels";
  nn::manual_seed(17);
  Trainer trainer(config, nn::Device::cpu(), random_labels(16));
  Trainer by_hand(config, nn::Device::cpu(), random_labels(16));
  const nn::Tensor images = nn::uniform({3, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(3), {3, kAttributes});
  double from_labels = 0, from_code = 0;
  {
    nn::NoGradGuard no_grad;
    // Weights larger than the N(0, 0.01) start, so that G's output moves with y.
    for (nn::Tensor& p : trainer.generator.parameters()) nn::copy_(p, nn::normal(p.shape(), 0, 0.1));
    const std::vector<nn::Tensor> from = trainer.encoder.parameters(), to = by_hand.encoder.parameters();
    for (std::size_t i = 0; i < from.size(); ++i) nn::copy_(to[i], from[i]);
    const auto [code_y, code_z] = trainer.encoder.encode(images);
    from_labels = nn::mae(trainer.generator.generate(labels, code_z), images).item();
    from_code = nn::mae(trainer.generator.generate(code_y, code_z), images).item();
  }
  StepMetrics m;
  trainer.autoencoder_step(images, labels, m);
  CHECK(m.ae_loss == Approx(from_labels).epsilon(1e-6));
  CHECK(std::abs(from_labels - from_code) > 1e-3);
  // E's y head learns from the attribute loss alone: the reconstruction no
  // longer reaches it.
  (nn::bce(by_hand.encoder.encode(images).first, labels) * 2.0).backward();
  const std::vector<nn::Tensor> stepped = trainer.encoder.y_head->parameters(),
                                alone = by_hand.encoder.y_head->parameters();
  for (std::size_t i = 0; i < stepped.size(); ++i)
    CHECK(stepped[i].grad().to_vector<float>() == alone[i].grad().to_vector<float>());
}

TEST_CASE("label smoothing and attribute targets reach the losses as specified", "[acgan]") {
  nn::manual_seed(12);
  Trainer t(tiny_config(), nn::Device::cpu(), random_labels(16));
  const nn::Tensor images = nn::uniform({2, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(2), {2, kAttributes});
  const nn::Tensor fake_y = t.sample_attributes(2);
  const nn::Tensor z = t.sample_z(2);
  nn::Tensor fakes;
  std::vector<float> w_real, y_real, w_fake, y_fake;
  {
    nn::NoGradGuard no_grad;
    fakes = t.generator.generate(fake_y, z);
    const auto [wr, yr] = t.discriminator.judge(images);
    const auto [wf, yf] = t.discriminator.judge(fakes);
    w_real = wr.to_vector<float>(), y_real = yr.to_vector<float>();
    w_fake = wf.to_vector<float>(), y_fake = yf.to_vector<float>();
  }
  StepMetrics m;
  t.discriminator_step(images, labels, fakes, fake_y, m);
  // Real w targets are 0.9 (one-sided smoothing), fake w targets 0; the y
  // targets are the true attributes and the ones the fakes were made from.
  CHECK(m.d_loss_w == Approx(bce_by_hand(w_real, {0.9f, 0.9f}) + bce_by_hand(w_fake, {0.0f, 0.0f})).epsilon(1e-5));
  CHECK(m.d_loss_y ==
        Approx(bce_by_hand(y_real, labels.to_vector<float>()) + bce_by_hand(y_fake, fake_y.to_vector<float>()))
            .epsilon(1e-5));

  // G's targets: w = g_target through D, y = the requested attributes.
  std::vector<float> w_gen, y_gen;
  {
    nn::NoGradGuard no_grad;
    const auto [wg, yg] = t.discriminator.judge(t.generator.generate(fake_y, z));
    w_gen = wg.to_vector<float>(), y_gen = yg.to_vector<float>();
  }
  t.generator_step(fake_y, z, m);
  CHECK(m.g_loss_w == Approx(bce_by_hand(w_gen, {0.9f, 0.9f})).epsilon(1e-5));
  CHECK(m.g_loss_y == Approx(bce_by_hand(y_gen, fake_y.to_vector<float>())).epsilon(1e-5));
}

TEST_CASE("F1 and accuracy metrics follow their definitions", "[acgan]") {
  const nn::Tensor pred = nn::from_vector<float>({0.9f, 0.8f, 0.1f, 0.2f, 0.1f, 0.1f}, {2, 3});
  const nn::Tensor truth = nn::from_vector<float>({1, 0, 1, 0, 0, 0}, {2, 3});
  // sample 1: tp 1, fp 1, fn 1 -> 0.5; sample 2: nothing predicted or true -> 0,
  // as sklearn's f1_score(average='samples') counts it
  CHECK(sample_f1(pred, truth) == Approx(0.25));
  // tp 2, fp 0, fn 1 -> 0.8; tp 0, fp 1, fn 0 -> 0; tp 1, fp 0, fn 0 -> 1; a
  // prediction of exactly 0.5 is not positive
  const nn::Tensor pred3 = nn::from_vector<float>({0.9f, 0.6f, 0.5f, 0.7f, 0.0f, 0.0f, 0.0f, 0.0f, 0.51f}, {3, 3});
  const nn::Tensor truth3 = nn::from_vector<float>({1, 1, 1, 0, 0, 0, 0, 0, 1}, {3, 3});
  CHECK(sample_f1(pred3, truth3) == Approx((0.8 + 0.0 + 1.0) / 3));
  // every sample empty in both: 0
  CHECK(sample_f1(nn::zeros({2, 3}), nn::zeros({2, 3})) == 0.0);
  CHECK(w_accuracy(nn::from_vector<float>({0.7f, 0.4f}, {2, 1}), nn::from_vector<float>({0.2f, 0.6f}, {2, 1})) ==
        Approx(0.5));
}

TEST_CASE("a mixed discriminator batch keeps N of the 2N real and fake rows, drawn at random", "[acgan][seed]") {
  nn::manual_seed(20);
  const std::int64_t n = 4;
  std::vector<int> kept_count(2 * n, 0);
  const int draws = 2000;
  int malformed = 0;
  for (int d = 0; d < draws; ++d) {
    std::vector<std::int64_t> rows = draw_mixed_rows(n);
    std::sort(rows.begin(), rows.end());
    if (rows.size() != static_cast<std::size_t>(n) || rows.front() < 0 || rows.back() >= 2 * n ||
        std::adjacent_find(rows.begin(), rows.end()) != rows.end()) {
      ++malformed;
      continue;
    }
    for (std::int64_t r : rows) ++kept_count[static_cast<std::size_t>(r)];
  }
  CHECK(malformed == 0);  // n distinct rows of the 2n
  // Each of the 2N rows is kept with probability 1/2 (standard deviation of
  // the count about 22 here).
  for (int count : kept_count) CHECK(std::abs(count - draws / 2) < 120);
}

TEST_CASE("D's mixed sub-step takes one mean BCE on w and on y over the rows drawn", "[acgan][seed]") {
  const std::vector<float> train_labels = random_labels(16);
  Config c = tiny_config();
  c.d_batch = "mixed";
  nn::manual_seed(21);
  Trainer t(c, nn::Device::cpu(), train_labels);
  const std::int64_t n = 3;
  const nn::Tensor images = nn::uniform({n, 3, 64, 64}, -1, 1);
  const nn::Tensor fakes = nn::uniform({n, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(n), {n, kAttributes});
  const nn::Tensor fake_y = t.sample_attributes(n);
  std::vector<float> w_all, y_all;
  {
    nn::NoGradGuard no_grad;
    const auto [w, y] = t.discriminator.judge(nn::concat({images, fakes}, 0));
    w_all = w.to_vector<float>(), y_all = y.to_vector<float>();
  }
  const std::vector<float> real_y = labels.to_vector<float>(), made_y = fake_y.to_vector<float>();
  const nn::RandomState before = nn::random_state();
  const std::vector<std::int64_t> rows = draw_mixed_rows(n);
  nn::set_random_state(before);
  StepMetrics m;
  t.discriminator_step(images, labels, fakes, fake_y, m);

  std::vector<float> w_kept, w_target, y_kept, y_target;
  int right = 0;
  for (std::int64_t r : rows) {
    const bool real = r < n;
    const float w = w_all[static_cast<std::size_t>(r)];
    w_kept.push_back(w);
    w_target.push_back(real ? 0.9f : 0.0f);
    right += real ? w > 0.5f : w <= 0.5f;
    const std::vector<float>& source = real ? real_y : made_y;
    const std::int64_t row = real ? r : r - n;
    y_kept.insert(y_kept.end(), y_all.begin() + r * kAttributes, y_all.begin() + (r + 1) * kAttributes);
    y_target.insert(y_target.end(), source.begin() + row * kAttributes, source.begin() + (row + 1) * kAttributes);
  }
  CHECK(m.d_loss_w == Approx(bce_by_hand(w_kept, w_target)).epsilon(1e-5));
  CHECK(m.d_loss_y == Approx(bce_by_hand(y_kept, y_target)).epsilon(1e-5));
  CHECK(m.d_acc_w == Approx(right / static_cast<double>(n)));
  CHECK(m.d_f1_y == Approx(sample_f1(nn::from_vector(y_kept, {n, kAttributes}),
                                     nn::from_vector(y_target, {n, kAttributes}))));
}

TEST_CASE("ten-indices fake attributes set ten uniformly drawn indices, repeats allowed", "[acgan][seed]") {
  Config c = tiny_config();
  c.fake_labels = "ten-indices";
  nn::manual_seed(22);
  Trainer t(c, nn::Device::cpu(), random_labels(16));
  const std::int64_t rows = 20000;
  const std::vector<float> y = t.sample_attributes(rows).to_vector<float>();
  double ones = 0;
  std::int64_t not_binary = 0, rows_outside = 0;
  std::vector<double> per_attribute(kAttributes, 0);
  for (std::int64_t i = 0; i < rows; ++i) {
    int in_row = 0;
    for (std::int64_t j = 0; j < kAttributes; ++j) {
      const float v = y[static_cast<std::size_t>(i * kAttributes + j)];
      not_binary += v != 0.0f && v != 1.0f;
      in_row += v == 1.0f;
      per_attribute[static_cast<std::size_t>(j)] += v;
    }
    rows_outside += in_row < 1 || in_row > 10;
    ones += in_row;
  }
  CHECK(not_binary == 0);
  CHECK(rows_outside == 0);  // between 1 and 10 ones in every row
  // Distinct values among 10 uniform draws from 40: 40 * (1 - (39/40)^10).
  const double on = 1 - std::pow(39.0 / 40.0, 10);
  CHECK(ones / rows == Approx(40 * on).margin(0.05));
  for (double count : per_attribute) CHECK(count / rows == Approx(on).margin(0.02));
}

TEST_CASE("train-flip fake attributes are a training row with one drawn attribute set on or off", "[acgan]") {
  Config c = tiny_config();
  c.fake_labels = "train-flip";
  nn::manual_seed(23);
  const std::vector<float> row = random_labels(1);
  Trainer t(c, nn::Device::cpu(), row);
  const std::int64_t rows = 8000;
  const std::vector<float> y = t.sample_attributes(rows).to_vector<float>();
  std::int64_t changed_rows = 0, rows_changed_twice = 0;
  std::vector<std::int64_t> changes(kAttributes, 0);
  for (std::int64_t i = 0; i < rows; ++i) {
    int in_row = 0;
    for (std::int64_t j = 0; j < kAttributes; ++j)
      if (y[static_cast<std::size_t>(i * kAttributes + j)] != row[static_cast<std::size_t>(j)]) {
        ++in_row;
        ++changes[static_cast<std::size_t>(j)];
      }
    changed_rows += in_row > 0;
    rows_changed_twice += in_row > 1;
  }
  CHECK(rows_changed_twice == 0);
  // The drawn attribute keeps its value half the time.
  CHECK(static_cast<double>(changed_rows) / rows == Approx(0.5).margin(0.02));
  for (std::int64_t count : changes) CHECK(static_cast<double>(count) / rows == Approx(0.5 / 40).margin(0.006));
}

TEST_CASE("code-flip fakes pair a banked code with its face's labels, one attribute set on or off", "[acgan]") {
  Config c = tiny_config();
  c.z_dist = "codes";
  c.fake_labels = "code-flip";
  nn::manual_seed(24);
  Trainer t(c, nn::Device::cpu(), random_labels(8));
  // Bank row r holds code r + 1 and the labels with only attribute r on.
  const std::int64_t banked = kAttributes;
  std::vector<float> labels(static_cast<std::size_t>(banked * kAttributes), 0.0f);
  for (std::int64_t r = 0; r < banked; ++r) labels[static_cast<std::size_t>(r * kAttributes + r)] = 1.0f;
  t.latent_source->observe(numbered_codes(banked, 0), nn::from_vector(labels, {banked, kAttributes}));
  const std::int64_t n = 4000;
  const auto [y, z] = t.sample_fakes(n);
  const std::vector<float> rows = y.to_vector<float>(), firsts = first_values(z);
  std::int64_t mismatched = 0, changed_rows = 0;
  std::vector<std::int64_t> picked(static_cast<std::size_t>(banked), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto r = static_cast<std::int64_t>(firsts[static_cast<std::size_t>(i)]) - 1;
    ++picked[static_cast<std::size_t>(r)];
    int differences = 0;
    for (std::int64_t j = 0; j < kAttributes; ++j) {
      const float wanted = rows[static_cast<std::size_t>(i * kAttributes + j)];
      differences += wanted != labels[static_cast<std::size_t>(r * kAttributes + j)];
    }
    mismatched += differences > 1;
    changed_rows += differences == 1;
  }
  CHECK(mismatched == 0);
  CHECK(static_cast<double>(changed_rows) / n == Approx(0.5).margin(0.03));
  for (std::int64_t count : picked) CHECK(static_cast<double>(count) / n == Approx(1.0 / banked).margin(0.01));

  c.z_dist = "encoder";
  CHECK_THROWS_WITH(validate(c), Catch::Contains("--fake-labels code-flip needs --z codes"));
}

TEST_CASE("with --g-fakes reuse G's sub-step takes the y' and z that made D's fakes", "[acgan][seed]") {
  const std::vector<float> train_labels = random_labels(16);
  const nn::Tensor images = nn::uniform({4, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(4), {4, kAttributes});
  for (const char* g_fakes : {"reuse", "fresh"}) {
    INFO(g_fakes);
    Config c = tiny_config();
    c.g_fakes = g_fakes;
    nn::manual_seed(23);
    Trainer whole(c, nn::Device::cpu(), train_labels);
    const StepMetrics m_whole = whole.step(images, labels);
    // The same step by hand, G given D's y' and z.
    nn::manual_seed(23);
    Trainer by_hand(c, nn::Device::cpu(), train_labels);
    const nn::Tensor y = by_hand.sample_attributes(4);
    const nn::Tensor z = by_hand.sample_z(4);
    nn::Tensor fakes;
    {
      nn::NoGradGuard no_grad;
      fakes = by_hand.generator.generate(y, z);
    }
    StepMetrics m;
    by_hand.discriminator_step(images, labels, fakes, y, m);
    by_hand.generator_step(y, z, m);
    by_hand.autoencoder_step(images, labels, m);
    const bool reused = std::string(g_fakes) == "reuse";
    CHECK((m_whole.g_loss_y == m.g_loss_y) == reused);
    CHECK((snapshot(whole.generator) == snapshot(by_hand.generator)) == reused);
  }
}

TEST_CASE("G's sub-step logs how many of G's images D judges fake", "[acgan][seed]") {
  nn::manual_seed(24);
  Trainer t(tiny_config(), nn::Device::cpu(), random_labels(16));
  for (const double bias : {-30.0, 30.0}) {
    nn::copy_(t.discriminator.w_head->bias, nn::full({1}, bias));
    StepMetrics m;
    t.generator_step(t.sample_attributes(4), t.sample_z(4), m);
    CHECK(m.d_acc_w_gen == (bias < 0 ? 1.0 : 0.0));
  }
}

TEST_CASE("adam keras gives all three optimisers Keras' epsilon and its place in the update", "[acgan][seed]") {
  Config c = tiny_config();
  c.adam = "keras";
  nn::manual_seed(25);
  Trainer keras(c, nn::Device::cpu(), random_labels(16));
  Trainer pytorch(tiny_config(), nn::Device::cpu(), random_labels(16));
  for (const nn::Adam* adam : {&keras.d_optimizer, &keras.g_optimizer, &keras.ae_optimizer}) {
    CHECK(adam->options().convention() == nn::AdamEpsilon::keras);
    CHECK(adam->options().eps() == 1e-7);
  }
  for (const nn::Adam* adam : {&pytorch.d_optimizer, &pytorch.g_optimizer, &pytorch.ae_optimizer}) {
    CHECK(adam->options().convention() == nn::AdamEpsilon::pytorch);
    CHECK(adam->options().eps() == 1e-8);
  }
}

TEST_CASE("latent statistics follow E's codes and shape the latents drawn with --z encoder", "[acgan][latent]") {
  LatentStatistics stats;
  CHECK(stats.mean.to_vector<float>() == std::vector<float>(kLatent, 0.5f));
  CHECK(stats.variance.to_vector<float>() == std::vector<float>(kLatent, static_cast<float>(1.0 / 12.0)));
  // Two codes per dimension, 0.2 and 0.6 apart by dimension: mean 0.4, variance 0.04.
  std::vector<float> codes(2 * kLatent);
  for (std::int64_t d = 0; d < kLatent; ++d) {
    codes[static_cast<std::size_t>(d)] = 0.2f;
    codes[static_cast<std::size_t>(kLatent + d)] = 0.6f;
  }
  stats.observe(nn::from_vector(codes, {2, kLatent}), nn::zeros({2, kAttributes}));
  for (float m : stats.mean.to_vector<float>()) CHECK(m == Approx(0.9 * 0.5 + 0.1 * 0.4));
  for (float v : stats.variance.to_vector<float>()) CHECK(v == Approx(0.9 / 12.0 + 0.1 * 0.04));
  const std::vector<float> mean = stats.mean.to_vector<float>(), variance = stats.variance.to_vector<float>();
  const std::vector<float> latent = stats.latent_from_noise(nn::full({3, kLatent}, 1.5)).to_vector<float>();
  for (std::size_t i = 0; i < latent.size(); ++i)
    CHECK(latent[i] == Approx(mean[i % kLatent] + 1.5 * std::sqrt(variance[i % kLatent])));

  Config c = tiny_config();
  c.z_dist = "encoder";
  nn::manual_seed(4);
  Trainer trainer(c, nn::Device::cpu(), random_labels(8));
  const nn::Tensor images = nn::uniform({4, 3, 64, 64}, -1, 1);
  auto& source = dynamic_cast<LatentStatistics&>(*trainer.latent_source);
  const std::vector<float> before = source.mean.to_vector<float>();
  trainer.step(images, nn::from_vector(random_labels(4), {4, kAttributes}));
  CHECK(source.mean.to_vector<float>() != before);
  CHECK(trainer.checkpoint_parts().modules.count("Z") == 1);
  c.z_dist = "normal";
  CHECK(Trainer(c, nn::Device::cpu(), random_labels(8)).checkpoint_parts().modules.count("Z") == 0);
}

TEST_CASE("a code bank (--z codes) hands out E's codes, picked by the noise's normal quantile", "[acgan][latent]") {
  CodeBank bank;
  // Empty, it holds one code of 0.5.
  CHECK(first_values(bank.latent_from_noise(noise_with_first({-2.0f, 2.0f}))) == std::vector<float>{0.5f, 0.5f});
  bank.observe(numbered_codes(3, 0), nn::zeros({3, kAttributes}));
  // Three codes: quantiles below 1/3 pick the first, 0.5 the second, above 2/3 the third.
  CHECK(first_values(bank.latent_from_noise(noise_with_first({-3.0f, -0.5f, 0.0f, 0.5f, 3.0f}))) ==
        std::vector<float>{1.0f, 1.0f, 2.0f, 3.0f, 3.0f});
  CHECK(bank.count.to_vector<double>() == std::vector<double>{3.0});

  // Filled past its size, the ring replaces its oldest codes.
  bank.observe(numbered_codes(CodeBank::kBankRows, 3), nn::zeros({CodeBank::kBankRows, kAttributes}));
  CHECK(bank.count.to_vector<double>() == std::vector<double>{3.0 + CodeBank::kBankRows});
  const std::vector<float> held = first_values(bank.codes);
  CHECK(held[0] == static_cast<float>(CodeBank::kBankRows + 1));
  CHECK(held[2] == static_cast<float>(CodeBank::kBankRows + 3));
  CHECK(held[3] == 4.0f);
  CHECK(first_values(bank.latent_from_noise(noise_with_first({-8.0f, 8.0f}))) ==
        std::vector<float>{static_cast<float>(CodeBank::kBankRows + 1), static_cast<float>(CodeBank::kBankRows)});

  // A checkpoint's bank draws the same latents.
  CodeBank loaded;
  loaded.load_state_dict(bank.state_dict());
  const nn::Tensor noise = nn::normal({16, kLatent}, 0, 1);
  CHECK(loaded.latent_from_noise(noise).to_vector<float>() == bank.latent_from_noise(noise).to_vector<float>());

  Config c = tiny_config();
  c.z_dist = "codes";
  nn::manual_seed(4);
  Trainer trainer(c, nn::Device::cpu(), random_labels(8));
  trainer.step(nn::uniform({4, 3, 64, 64}, -1, 1), nn::from_vector(random_labels(4), {4, kAttributes}));
  CHECK(dynamic_cast<CodeBank&>(*trainer.latent_source).count.to_vector<double>() == std::vector<double>{4.0});
  CHECK(trainer.checkpoint_parts().modules.count("Z") == 1);
}

TEST_CASE("warm-up steps (--ae-warmup) train the autoencoder alone, then all three sub-steps run", "[acgan][warmup]") {
  Config c = tiny_config();
  c.ae_warmup = 2;
  nn::manual_seed(6);
  Trainer trainer(c, nn::Device::cpu(), random_labels(8));
  const nn::Tensor images = nn::uniform({4, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(4), {4, kAttributes});
  const auto d_before = snapshot(trainer.discriminator), e_before = snapshot(trainer.encoder);
  for (int i = 0; i < 2; ++i) {
    const StepMetrics m = trainer.step(images, labels);
    CHECK(std::isnan(m.d_loss_w));
    CHECK(std::isnan(m.g_f1_y));
    CHECK(std::isfinite(m.ae_loss));
  }
  CHECK(snapshot(trainer.discriminator) == d_before);
  CHECK(snapshot(trainer.encoder) != e_before);
  CHECK(trainer.d_optimizer.steps() == 0);
  const StepMetrics m = trainer.step(images, labels);
  CHECK(std::isfinite(m.d_loss_w));
  CHECK(trainer.d_optimizer.steps() == 1);
  CHECK(snapshot(trainer.discriminator) != d_before);
}

TEST_CASE("a running average of G's weights (--g-average) decays by min(D, (1 + t) / (10 + t)) at step t",
          "[acgan][average]") {
  Config c = tiny_config();
  c.g_average = 0.5;
  c.ae_warmup = 1;
  nn::manual_seed(21);
  Trainer trainer(c, nn::Device::cpu(), random_labels(8));
  REQUIRE(trainer.averaged_generator);
  CHECK(&trainer.sampling_generator() == trainer.averaged_generator.get());
  const auto start = snapshot(trainer.generator);
  CHECK(snapshot(*trainer.averaged_generator) == start);
  const nn::Tensor images = nn::uniform({4, 3, 64, 64}, -1, 1);
  const nn::Tensor labels = nn::from_vector(random_labels(4), {4, kAttributes});
  // Step 1 (warm-up: the autoencoder alone) decays by 2/11, step 2 (all
  // three sub-steps) by min(0.5, 3/12) = 0.25.
  std::map<std::string, std::vector<double>> expected;
  for (const auto& [name, values] : start) expected[name].assign(values.begin(), values.end());
  for (const double decay : {2.0 / 11.0, 0.25}) {
    trainer.step(images, labels);
    for (const auto& [name, live] : snapshot(trainer.generator))
      for (std::size_t i = 0; i < live.size(); ++i) expected[name][i] = decay * expected[name][i] + (1 - decay) * live[i];
  }
  double worst = 0, moved = 0;
  for (const auto& [name, average] : snapshot(*trainer.averaged_generator))
    for (std::size_t i = 0; i < average.size(); ++i) {
      worst = std::max(worst, std::abs(average[i] - expected[name][i]));
      moved = std::max(moved, std::abs(average[i] - static_cast<double>(start.at(name)[i])));
    }
  CHECK(worst < 1e-7);
  CHECK(moved > 1e-4);  // the steps moved it far beyond the tolerance
  for (const nn::Tensor& p : trainer.averaged_generator->parameters()) CHECK_FALSE(p.grad().defined());
  CHECK(trainer.checkpoint_parts().modules.count("G_average") == 1);

  Trainer plain(tiny_config(), nn::Device::cpu(), random_labels(8));
  CHECK_FALSE(plain.averaged_generator);
  CHECK(&plain.sampling_generator() == &plain.generator);
  CHECK(plain.checkpoint_parts().modules.count("G_average") == 0);
}
