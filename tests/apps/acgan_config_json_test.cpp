#include <catch2/catch.hpp>

#include <string>

#include "acgan_celeba/config.hpp"
#include "acgan_celeba/resume.hpp"
#include "common/cli.hpp"
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

TEST_CASE("the original script's training choices round-trip through config.json", "[acgan][config]") {
  Config c;
  c.d_batch = "mixed";
  c.fake_labels = "ten-indices";
  c.g_fakes = "reuse";
  c.adam = "keras";
  const Config back = config_from_json(to_json(c), "test");
  CHECK(back.d_batch == "mixed");
  CHECK(back.fake_labels == "ten-indices");
  CHECK(back.g_fakes == "reuse");
  CHECK(back.adam == "keras");
}

TEST_CASE("a config.json from before the training-choice keys loads with the former behaviour", "[acgan][config]") {
  Config c;
  c.d_batch = "mixed";
  c.g_fakes = "reuse";
  c.adam = "keras";
  const nn::json::Value current = nn::json::parse(to_json(c));
  nn::json::Value old = nn::json::Value::object();
  for (const nn::json::Member& m : current.members())
    if (m.key != "d_batch" && m.key != "g_fakes" && m.key != "adam") old.add(m.key, m.value);
  const Config back = config_from_json(nn::json::dump(old, 2), "old");
  CHECK(back.d_batch == "separate");
  CHECK(back.g_fakes == "fresh");
  CHECK(back.adam == "pytorch");
}

TEST_CASE("the option --ae-y round-trips through config.json and runs from before it decode E's y", "[acgan][config]") {
  Config c;
  c.ae_attr_weight = 1.0;
  c.ae_y = "labels";
  CHECK(config_from_json(to_json(c), "test").ae_y == "labels");
  const nn::json::Value current = nn::json::parse(to_json(c));
  nn::json::Value old = nn::json::Value::object();
  for (const nn::json::Member& m : current.members())
    if (m.key != "ae_y") old.add(m.key, m.value);
  CHECK(config_from_json(nn::json::dump(old, 2), "old").ae_y == "code");
}

TEST_CASE("the option --ae-y is checked and its errors name it", "[acgan][config]") {
  Config c;
  c.ae_attr_weight = 1.0;
  c.ae_y = "truth";
  CHECK_THROWS_WITH(validate(c), Catch::Matchers::Contains("--ae-y") && Catch::Matchers::Contains("'labels'"));
  c.ae_y = "labels";
  c.ae_attr_weight = 0.0;
  CHECK_THROWS_WITH(validate(c), Catch::Matchers::Contains("--ae-y labels") &&
                                     Catch::Matchers::Contains("--ae-attr-weight"));
}

TEST_CASE("the training-choice flags are checked and errors name them", "[acgan][config]") {
  Config c;
  c.d_batch = "both";
  CHECK_THROWS_WITH(validate(c), Catch::Matchers::Contains("--d-batch"));
  c = Config();
  c.g_fakes = "yes";
  CHECK_THROWS_WITH(validate(c), Catch::Matchers::Contains("--g-fakes"));
  c = Config();
  c.adam = "tensorflow";
  CHECK_THROWS_WITH(validate(c), Catch::Matchers::Contains("--adam"));
  c = Config();
  c.fake_labels = "nine-indices";
  CHECK_THROWS_WITH(validate(c), Catch::Matchers::Contains("--fake-labels"));
  const nn::json::Value defaults = nn::json::parse(to_json(Config()));
  nn::json::Value stored = nn::json::Value::object();
  for (const nn::json::Member& m : defaults.members())
    stored.add(m.key, m.key == "d_batch" ? nn::json::Value::string("both") : m.value);
  CHECK_THROWS_WITH(config_from_json(nn::json::dump(stored, 2), "bad.json"),
                    Catch::Matchers::Contains("bad.json") && Catch::Matchers::Contains("--d-batch"));
}

TEST_CASE("a resumed run may change what it evaluates, and the change is recorded", "[acgan][config]") {
  Config stored;
  stored.eval_every = 1;
  const nn::Metadata metadata = {{"config", to_json(stored)}};
  Config command_line;
  command_line.resume = "run/checkpoint_last.safetensors";
  command_line.eval_every = 0;
  command_line.eval_faces = 500;
  command_line.given = {"--resume", "--eval-every", "--eval-faces"};
  std::vector<ConfigChange> changes;
  const Config resumed = resumed_config(command_line, metadata, changes);
  CHECK(resumed.eval_every == 0);
  CHECK(resumed.eval_faces == 500);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].flag == "--eval-every");
  CHECK(changes[1].flag == "--eval-faces");
  command_line.given = {"--resume", "--lr"};
  CHECK_THROWS_AS(resumed_config(command_line, metadata, changes), nn::apps::UsageError);
}
