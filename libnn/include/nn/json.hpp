#pragma once
// A small JSON reader and writer, enough for safetensors headers: objects,
// arrays, strings (all escapes, \uXXXX with surrogate pairs, UTF-8 checked)
// and integers. The parser is strict: floats, true/false/null, duplicate keys,
// leading zeros and trailing garbage are refused with the byte position.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nn::json {

class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t position, const std::string& message)
      : std::runtime_error("at byte " + std::to_string(position) + ": " + message),
        position_(position),
        message_(message) {}
  std::size_t position() const { return position_; }
  // The problem without the position.
  const std::string& message() const { return message_; }

 private:
  std::size_t position_;
  std::string message_;
};

struct Member;

struct Value {
  enum class Kind { integer, string, array, object };

  Kind kind = Kind::object;
  std::int64_t integer = 0;
  std::string string;
  std::vector<Value> items;     // an array's elements
  std::vector<Member> members;  // an object's members, in text order
  std::size_t position = 0;     // where the value starts in the parsed text

  static Value of(std::int64_t v);
  static Value of(std::string v);
  static Value array(std::vector<Value> items);
  static Value object();
  // Appends a member; the writer keeps insertion order.
  Value& add(std::string key, Value value);
  // The member named `key`, or nullptr.
  const Value* find(std::string_view key) const;
};

struct Member {
  std::string key;
  Value value;
};

// "integer", "string", "array" or "object", for error messages.
const char* kind_name(Value::Kind kind);

// Parses a whole document; only whitespace may follow the value.
Value parse(std::string_view text);
// Compact text of `value`; non-ASCII characters pass through as UTF-8.
std::string dump(const Value& value);

}  // namespace nn::json
