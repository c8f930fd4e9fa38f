#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

namespace {

// A small CNN with dropout, so the random stream matters for resuming.
struct Model {
  std::shared_ptr<Sequential> net = std::make_shared<Sequential>();
  Model() {
    net->emplace<Conv2d>(Conv2dOptions(1, 4, 3).stride(2).padding(Padding::same()));
    net->emplace<BatchNorm2d>(BatchNormOptions(4));
    net->emplace<LeakyReLU>();
    net->emplace<Flatten>();
    net->emplace<Dropout>(0.25);
    net->emplace<Dense>(DenseOptions(4 * 4 * 4, 1));
  }
};

void train_steps(Model& m, Adam& opt, int steps) {
  for (int s = 0; s < steps; ++s) {
    const Tensor x = uniform({6, 1, 8, 8}, -1, 1);
    const Tensor y = uniform({6, 1}, 0, 1);
    opt.zero_grad();
    bce_with_logits((*m.net)(x), y).backward();
    opt.step();
  }
}

std::vector<std::vector<float>> values(const Module& m) {
  std::vector<std::vector<float>> out;
  for (const auto& [name, t] : m.state_dict()) out.push_back(t.to_vector<float>());
  return out;
}

std::string scratch_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "libnn_checkpoint_test";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

}  // namespace

TEST_CASE("training N steps equals k steps, checkpoint, fresh load, N-k steps (bitwise)", "[checkpoint]") {
  const std::string path = scratch_path("resume.safetensors");
  manual_seed(21);
  Model straight;
  Adam straight_opt(straight.net->parameters(), AdamOptions().lr(1e-2).beta1(0.5));
  train_steps(straight, straight_opt, 7);

  manual_seed(21);
  std::vector<std::vector<float>> resumed_values;
  {
    Model first;
    Adam first_opt(first.net->parameters(), AdamOptions().lr(1e-2).beta1(0.5));
    train_steps(first, first_opt, 3);
    save_checkpoint(path, {{{"model", first.net.get()}}, {{"adam", &first_opt}}}, {{"step", "3"}});
  }
  manual_seed(999);  // a fresh process would start from another state
  Model second;
  Adam second_opt(second.net->parameters(), AdamOptions().lr(1e-2).beta1(0.5));
  const Metadata meta = load_checkpoint(path, {{{"model", second.net.get()}}, {{"adam", &second_opt}}});
  CHECK(meta.at("step") == "3");
  train_steps(second, second_opt, 4);
  CHECK(values(*second.net) == values(*straight.net));
  CHECK(second_opt.steps() == 7);
}

TEST_CASE("checkpoint loading refuses mismatches and leaves the model untouched", "[checkpoint]") {
  const std::string path = scratch_path("mismatch.safetensors");
  manual_seed(3);
  Sequential small;
  small.emplace<Dense>(DenseOptions(3, 2));
  save_checkpoint(path, {{{"model", &small}}, {}});

  Sequential wider;
  wider.emplace<Dense>(DenseOptions(3, 5));
  const auto before = values(wider);
  CHECK_THROWS_WITH(load_checkpoint(path, {{{"model", &wider}}, {}}),
                    Contains(path) && Contains("model.0.bias") && Contains("[2]") && Contains("[5]"));
  CHECK(values(wider) == before);
  CHECK_THROWS_WITH(load_checkpoint(path, {{{"other", &small}}, {}}), Contains("other.0.bias"));

  // A truncated file is refused by name.
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 4);
  CHECK_THROWS_WITH(load_checkpoint(path, {{{"model", &small}}, {}}), Contains(path) && Contains("truncated"));
}
