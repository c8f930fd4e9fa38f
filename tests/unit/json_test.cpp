#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <nn/error.hpp>
#include <nn/json.hpp>

using namespace nn::json;
using Catch::Matchers::Contains;

namespace {

std::string round_trip_string(const std::string& s) { return parse(dump(Value::string(s))).as_string(); }

std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  FAIL("accepted: " << text);
  return {};
}

}  // namespace

TEST_CASE("the writer escapes quotes, backslashes and every control character", "[json]") {
  CHECK(dump(Value::string("a\"b\\c")) == R"("a\"b\\c")");
  CHECK(dump(Value::string("\b\f\n\r\t")) == R"("\b\f\n\r\t")");
  CHECK(dump(Value::string(std::string("\x01\x1f\x7f", 3))) == R"("\u0001\u001f\u007f")");
  CHECK(dump(Value::string(std::string(1, '\0'))) == R"("\u0000")");
  for (int c = 0; c < 0x80; ++c) {
    const std::string s = "x" + std::string(1, static_cast<char>(c)) + "y";
    INFO("character " << c);
    const std::string text = dump(Value::string(s));
    for (const char t : text) CHECK(static_cast<unsigned char>(t) >= 0x20);
    CHECK(round_trip_string(s) == s);
  }
}

TEST_CASE("the writer passes UTF-8 through and refuses bytes that are not UTF-8", "[json]") {
  const std::string text = "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  CHECK(dump(Value::string(text)) == "\"" + text + "\"");
  CHECK(round_trip_string(text) == text);
  CHECK_THROWS_AS(dump(Value::string("bad\xFF")), nn::Error);
  CHECK_THROWS_WITH(dump(Value::object().add("k\xC3", Value::integer(1))), Contains("UTF-8"));
  CHECK_THROWS_AS(dump(Value::string("\xED\xA0\x80")), nn::Error);  // an encoded surrogate
}

TEST_CASE("numbers, booleans and null round-trip with their kinds", "[json]") {
  for (const double x : {0.1, 1.0 / 3.0, -2.5e-300, 1e300, 1.0, -0.0, 123456789.0}) {
    INFO(x);
    const Value v = parse(dump(Value::number(x)));
    CHECK(v.kind() == Value::Kind::number);
    CHECK(v.as_number() == x);
  }
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{-7}, std::numeric_limits<std::int64_t>::max(),
                               std::numeric_limits<std::int64_t>::min()}) {
    const Value v = parse(dump(Value::integer(n)));
    CHECK(v.kind() == Value::Kind::integer);
    CHECK(v.as_integer() == n);
  }
  CHECK(parse("true").as_boolean());
  CHECK_FALSE(parse("false").as_boolean());
  CHECK(parse(" null ").kind() == Value::Kind::null);
  CHECK(dump(Value::boolean(true)) == "true");
  CHECK(dump(Value()) == "null");
  CHECK(parse("-1.5e3").as_number() == -1500.0);
  CHECK(parse("2").as_number() == 2.0);
  CHECK_THROWS_AS(Value::number(std::nan("")), nn::Error);
  CHECK_THROWS_AS(Value::number(INFINITY), nn::Error);
}

TEST_CASE("an indented document parses back to the same members in order", "[json]") {
  Value inner = Value::object();
  inner.add("list", Value::array({Value::integer(1), Value::string("two"), Value::array({})}));
  Value v = Value::object();
  v.add("name", Value::string("run \"a\"")).add("inner", std::move(inner)).add("empty", Value::object());
  const std::string text = dump(v, 2);
  CHECK_THAT(text, Contains("{\n  \"name\": \"run \\\"a\\\"\",\n  \"inner\": {\n    \"list\": [\n      1,"));
  CHECK(dump(parse(text)) == dump(v));
  const Value back = parse(text);
  REQUIRE(back.members().size() == 3);
  CHECK(back.members()[1].key == "inner");
  CHECK(back.find("inner")->find("list")->items()[1].as_string() == "two");
  CHECK(back.find("missing") == nullptr);
}

TEST_CASE("the parser refuses what is not strict JSON, naming the byte", "[json]") {
  CHECK_THAT(parse_error("01"), Contains("at byte 0") && Contains("leading zeros"));
  CHECK_THAT(parse_error("[1.]"), Contains("at byte 3") && Contains("digit"));
  CHECK_THAT(parse_error("[.5]"), Contains("at byte 1"));
  CHECK_THAT(parse_error("1e"), Contains("exponent"));
  CHECK_THAT(parse_error("+1"), Contains("at byte 0"));
  CHECK_THAT(parse_error("NaN"), Contains("at byte 0"));
  CHECK_THAT(parse_error("[1,]"), Contains("at byte 3"));
  CHECK_THAT(parse_error("{\"a\":1,}"), Contains("at byte 7"));
  CHECK_THAT(parse_error("tru"), Contains("at byte 0"));
  CHECK_THAT(parse_error("nulls"), Contains("at byte 4"));
  CHECK_THAT(parse_error("{\"a\":1,\"a\":2}"), Contains("duplicate key"));
  CHECK_THAT(parse_error("\"a\x01\""), Contains("control character"));
  CHECK_THAT(parse_error("1e400"), Contains("double range"));
  CHECK_THAT(parse_error("9223372036854775808"), Contains("64-bit"));
  CHECK_THAT(parse_error("\"\\ud83d\""), Contains("surrogate"));
  CHECK(parse("\"\\ud83d\\ude00\"").as_string() == "\xF0\x9F\x98\x80");
}

TEST_CASE("reading a value as another kind raises nn::Error", "[json]") {
  const Value v = parse("{\"n\": 3}");
  CHECK_THROWS_WITH(v.find("n")->as_string(), Contains("expected string") && Contains("found integer"));
  CHECK_THROWS_AS(v.as_integer(), nn::Error);
  CHECK_THROWS_AS(Value::integer(1).add("k", Value()), nn::Error);
  CHECK_THROWS_AS(Value::string("s").items(), nn::Error);
}
