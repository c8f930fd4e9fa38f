#pragma once
// JSON values, a strict parser and a writer (libnn reads and writes
// safetensors headers with them; apps write their run configurations).
// The parser takes RFC 8259 text only and refuses, with the byte position:
// comments, trailing commas, leading zeros, NaN and infinities, duplicate
// keys, unescaped control characters, invalid escapes or UTF-8 (overlong
// forms, surrogates), unpaired \u surrogates and trailing garbage. A number
// without fraction or exponent is an integer and must fit 64 bits; any other
// number is a double. The writer escapes '"', '\' and every control
// character, so every string that is valid UTF-8 reads back unchanged.
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

// One JSON value. Reading the payload of another kind (as_string() of an
// integer, say) or adding a member to a non-object raises nn::Error.
class Value {
 public:
  enum class Kind { null, boolean, integer, number, string, array, object };

  Value() = default;  // null
  static Value boolean(bool v);
  static Value integer(std::int64_t v);
  // Raises nn::Error for NaN and infinities, which JSON cannot hold.
  static Value number(double v);
  static Value string(std::string v);
  static Value array(std::vector<Value> items);
  static Value object();

  Kind kind() const { return kind_; }
  bool as_boolean() const;
  std::int64_t as_integer() const;
  // A number's value; an integer converts.
  double as_number() const;
  const std::string& as_string() const;
  // An array's elements.
  const std::vector<Value>& items() const;
  // An object's members, in text or insertion order (the writer keeps it).
  const std::vector<Member>& members() const;

  // Appends a member to an object; returns the object for chaining.
  Value& add(std::string key, Value value);
  // An object's member named `key`, or nullptr (also for other kinds).
  const Value* find(std::string_view key) const;
  // Where a parsed value starts in its text; 0 for a built value.
  std::size_t position() const { return position_; }

 private:
  friend class Parser;
  Kind kind_ = Kind::null;
  bool boolean_ = false;
  std::int64_t integer_ = 0;
  double number_ = 0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<Member> members_;
  std::size_t position_ = 0;
};

struct Member {
  std::string key;
  Value value;
};

// "null", "boolean", "integer", "number", "string", "array" or "object", for
// error messages.
const char* kind_name(Value::Kind kind);

// Parses a whole document; only whitespace may follow the value.
Value parse(std::string_view text);
// The text of `value`: compact for indent 0, else one member or element per
// line indented by `indent` spaces a level. Non-ASCII characters pass through
// as UTF-8; a string that is not valid UTF-8 raises nn::Error. A double is
// written in the fewest digits that read back to it, with a '.' or exponent
// so that it reads back as a number rather than an integer.
std::string dump(const Value& value, int indent = 0);

}  // namespace nn::json
