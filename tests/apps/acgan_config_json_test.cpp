#include <catch2/catch.hpp>

#include <string>

#include "acgan_celeba/config.hpp"
#include <nn/json.hpp>

using namespace acgan;

TEST_CASE("config.json reads back through the strict parser whatever its strings hold", "[acgan][config]") {
  Config c;
  c.data = std::string("faces\x01\x1f\t\n/\"quoted\"\\back\\slash/Ç\xC3\xA9\xF0\x9F\x98\x80");
  c.device = "cuda:1";
  c.resume = "runs/a \"b\"\\c.safetensors";
  c.seed = 1234567890123;
  c.lr = 1.0 / 3.0;
  c.tf32 = true;
  const nn::json::Value v = nn::json::parse(to_json(c));
  CHECK(v.find("data")->as_string() == c.data);
  CHECK(v.find("device")->as_string() == c.device);
  CHECK(v.find("resume")->as_string() == c.resume);
  CHECK(v.find("seed")->as_integer() == 1234567890123);
  CHECK(v.find("lr")->as_number() == c.lr);
  CHECK(v.find("tf32")->as_boolean());
  CHECK(v.find("batch")->as_integer() == c.batch);
}

TEST_CASE("a seed beyond the signed 64-bit range that config.json holds is refused", "[acgan][config]") {
  Config c;
  c.seed = 9223372036854775807u;
  CHECK_NOTHROW(validate(c));
  CHECK(nn::json::parse(to_json(c)).find("seed")->as_integer() == 9223372036854775807);
  c.seed = 9223372036854775808u;
  CHECK_THROWS_WITH(validate(c), Catch::Matchers::Contains("--seed"));
}
