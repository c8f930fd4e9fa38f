// --attr rows: attribute names switched on or off over the training
// majority, "all" and "none", and the majority as checkpoints keep it.
#include <catch2/catch.hpp>
#include <vector>

#include "common/attribute_rows.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/error.hpp"

using Catch::Matchers::Contains;

namespace {

std::vector<float> majority() {
  std::vector<float> m(40, 0.0f);
  m[static_cast<std::size_t>(nn::data::celeba_attribute_index("Young"))] = 1.0f;
  m[static_cast<std::size_t>(nn::data::celeba_attribute_index("No_Beard"))] = 1.0f;
  return m;
}

float at(const std::vector<float>& row, const char* name) {
  return row[static_cast<std::size_t>(nn::data::celeba_attribute_index(name))];
}

}  // namespace

TEST_CASE("an attribute row switches the named attributes on and the minus-named off over the majority",
          "[attribute_rows]") {
  const std::vector<float> row = nn::apps::attribute_row("Male,Smiling,-Young", majority());
  CHECK(at(row, "Male") == 1.0f);
  CHECK(at(row, "Smiling") == 1.0f);
  CHECK(at(row, "Young") == 0.0f);
  CHECK(at(row, "No_Beard") == 1.0f);
  float sum = 0;
  for (float v : row) sum += v;
  CHECK(sum == 3.0f);
  CHECK(nn::apps::attribute_row("all", majority()) == std::vector<float>(40, 1.0f));
  CHECK(nn::apps::attribute_row("none", majority()) == std::vector<float>(40, 0.0f));
}

TEST_CASE("a bad attribute row is refused naming the row and the word", "[attribute_rows]") {
  CHECK_THROWS_WITH(nn::apps::check_attribute_row("Male,Smilling"),
                    Contains("Male,Smilling") && Contains("Smilling"));
  CHECK_THROWS_WITH(nn::apps::check_attribute_row(","), Contains("names no attribute"));
  CHECK_THROWS_AS(nn::apps::check_attribute_row("Male,-"), nn::Error);
  CHECK_NOTHROW(nn::apps::check_attribute_row("Male,-Young"));
}

TEST_CASE("the majority vector round-trips through checkpoint metadata and bad entries name the file",
          "[attribute_rows]") {
  const std::string text = nn::apps::majority_metadata(majority());
  CHECK(nn::apps::attribute_majority({{"attribute_majority", text}}, "run.safetensors") == majority());
  CHECK_THROWS_WITH(nn::apps::attribute_majority({{"attribute_majority", "1,0,2"}}, "run.safetensors"),
                    Contains("run.safetensors") && Contains("'2'"));
  CHECK_THROWS_WITH(nn::apps::attribute_majority({{"attribute_majority", "1,0"}}, "run.safetensors"),
                    Contains("2 values"));
  CHECK_THROWS_WITH(nn::apps::attribute_majority({}, "run.safetensors"), Contains("attribute_majority"));
}
