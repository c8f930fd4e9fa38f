// The class figures of an unconditional evaluation, from hand-made class
// probabilities: the histogram by most probable class, the confident share,
// the covered classes and the histogram's entropy.
#include <catch2/catch.hpp>
#include <cmath>

#include "nn/evaluation/unconditional_evaluation.hpp"

using namespace nn;

namespace {

// `count` copies of one row of probabilities appended to `rows`.
void repeat(std::vector<double>& rows, int count, const std::vector<double>& row) {
  for (int i = 0; i < count; ++i) rows.insert(rows.end(), row.begin(), row.end());
}

}  // namespace

TEST_CASE("class scores: histogram, confident share, covered classes and entropy", "[evaluation][class_scores]") {
  std::vector<double> rows;
  repeat(rows, 100, {0.95, 0.05, 0.0, 0.0, 0.0});
  repeat(rows, 60, {0.05, 0.9, 0.05, 0.0, 0.0});  // exactly at the confidence threshold
  repeat(rows, 37, {0.2, 0.3, 0.4, 0.1, 0.0});
  repeat(rows, 2, {0.1, 0.1, 0.1, 0.7, 0.0});  // 1% of the samples: covered
  repeat(rows, 1, {0.1, 0.1, 0.1, 0.3, 0.4});  // 0.5%: not covered
  // In f64, so that 0.9 is exactly the threshold.
  const evaluation::ClassScores s =
      evaluation::class_scores(from_vector(rows, {200, 5}, TensorOptions().dtype(Dtype::f64)));
  CHECK(s.counts == std::vector<std::int64_t>{100, 60, 37, 2, 1});
  CHECK(s.confident == Approx(160.0 / 200.0));
  CHECK(s.covered == 4);
  double entropy = 0;
  for (double n : {100.0, 60.0, 37.0, 2.0, 1.0}) entropy -= n / 200 * std::log(n / 200);
  CHECK(s.entropy == Approx(entropy));
  CHECK(s.max_entropy == Approx(std::log(5.0)));
  CHECK(evaluation::kConfidentProbability == 0.9);
  CHECK(evaluation::kCoveredClassShare == 0.01);
}

TEST_CASE("class scores: one class has no entropy, an even spread the uniform's", "[evaluation][class_scores]") {
  std::vector<double> one;
  repeat(one, 10, {0.1, 0.6, 0.3});
  const evaluation::ClassScores collapsed = evaluation::class_scores(from_vector(one, {10, 3}));
  CHECK(collapsed.counts == std::vector<std::int64_t>{0, 10, 0});
  CHECK(collapsed.covered == 1);
  CHECK(collapsed.entropy == 0.0);
  CHECK(collapsed.confident == 0.0);

  std::vector<double> even;
  for (int c = 0; c < 4; ++c) {
    std::vector<double> row(4, 0.0);
    row[static_cast<std::size_t>(c)] = 1.0;
    repeat(even, 3, row);
  }
  const evaluation::ClassScores spread = evaluation::class_scores(from_vector(even, {12, 4}));
  CHECK(spread.covered == 4);
  CHECK(spread.confident == 1.0);
  CHECK(spread.entropy == Approx(spread.max_entropy));
  CHECK(spread.max_entropy == Approx(std::log(4.0)));

  // Ties go to the first class, as argmax breaks them.
  const evaluation::ClassScores tie = evaluation::class_scores(from_vector(std::vector<double>{0.5, 0.5}, {1, 2}));
  CHECK(tie.counts == std::vector<std::int64_t>{1, 0});
}

TEST_CASE("class scores refuse anything but a non-empty [N, K] table", "[evaluation][class_scores]") {
  CHECK_THROWS_AS(evaluation::class_scores(from_vector(std::vector<double>{0.5, 0.5}, {2})), Error);
  CHECK_THROWS_AS(evaluation::class_scores(from_vector(std::vector<double>{}, {0, 3})), Error);
}
