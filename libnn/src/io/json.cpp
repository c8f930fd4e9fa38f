#include "nn/json.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>
#include <utility>

#include "nn/error.hpp"

namespace nn::json {
namespace {

// Deep enough for any header or configuration; shallow enough that a hostile
// file cannot exhaust the stack.
constexpr int kMaxDepth = 64;

void check_kind(const Value& v, Value::Kind expected) {
  if (v.kind() != expected)
    throw Error(std::string("json: expected ") + kind_name(expected) + ", found " + kind_name(v.kind()) +
                (v.position() ? " at byte " + std::to_string(v.position()) : std::string()));
}

// The length of the UTF-8 character at s[at], or 0 when the bytes there are
// not one: a bad lead or continuation byte, a truncated sequence, an overlong
// form, a surrogate or a code point beyond U+10FFFF.
std::size_t utf8_length(std::string_view s, std::size_t at) {
  const auto lead = static_cast<unsigned char>(s[at]);
  if (lead < 0x80) return 1;
  std::size_t extra = 0;
  std::uint32_t cp = 0, min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) extra = 1, cp = lead & 0x1F, min = 0x80;
  else if (lead >= 0xE0 && lead <= 0xEF) extra = 2, cp = lead & 0x0F, min = 0x800;
  else if (lead >= 0xF0 && lead <= 0xF4) extra = 3, cp = lead & 0x07, min = 0x10000;
  else return 0;
  for (std::size_t i = 1; i <= extra; ++i) {
    if (at + i >= s.size() || (static_cast<unsigned char>(s[at + i]) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (static_cast<unsigned char>(s[at + i]) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return extra + 1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

Value Value::boolean(bool v) {
  Value out;
  out.kind_ = Kind::boolean;
  out.boolean_ = v;
  return out;
}

Value Value::integer(std::int64_t v) {
  Value out;
  out.kind_ = Kind::integer;
  out.integer_ = v;
  return out;
}

Value Value::number(double v) {
  if (!std::isfinite(v)) throw Error("json: a number must be finite, got " + std::to_string(v));
  Value out;
  out.kind_ = Kind::number;
  out.number_ = v;
  return out;
}

Value Value::string(std::string v) {
  Value out;
  out.kind_ = Kind::string;
  out.string_ = std::move(v);
  return out;
}

Value Value::array(std::vector<Value> items) {
  Value out;
  out.kind_ = Kind::array;
  out.items_ = std::move(items);
  return out;
}

Value Value::object() {
  Value out;
  out.kind_ = Kind::object;
  return out;
}

bool Value::as_boolean() const {
  check_kind(*this, Kind::boolean);
  return boolean_;
}

std::int64_t Value::as_integer() const {
  check_kind(*this, Kind::integer);
  return integer_;
}

double Value::as_number() const {
  if (kind_ == Kind::integer) return static_cast<double>(integer_);
  check_kind(*this, Kind::number);
  return number_;
}

const std::string& Value::as_string() const {
  check_kind(*this, Kind::string);
  return string_;
}

const std::vector<Value>& Value::items() const {
  check_kind(*this, Kind::array);
  return items_;
}

const std::vector<Member>& Value::members() const {
  check_kind(*this, Kind::object);
  return members_;
}

Value& Value::add(std::string key, Value value) {
  check_kind(*this, Kind::object);
  members_.push_back(Member{std::move(key), std::move(value)});
  return *this;
}

const Value* Value::find(std::string_view key) const {
  for (const Member& m : members_)
    if (m.key == key) return &m.value;
  return nullptr;
}

const char* kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::integer: return "integer";
    case Value::Kind::number: return "number";
    case Value::Kind::string: return "string";
    case Value::Kind::array: return "array";
    case Value::Kind::object: return "object";
  }
  return "value";
}

// Recursive descent over the text; every failure names its byte position.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Value document() {
    skip_space();
    Value v = value(0);
    skip_space();
    if (pos_ != text_.size()) fail(pos_, "unexpected " + describe(pos_) + " after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& message) const { throw ParseError(at, message); }

  std::string describe(std::size_t at) const {
    if (at >= text_.size()) return "end of input";
    const auto c = static_cast<unsigned char>(text_[at]);
    if (c >= 0x20 && c < 0x7F) return std::string("character '") + static_cast<char>(c) + "'";
    return "byte 0x" + hex(c, 2);
  }

  static std::string hex(unsigned v, int digits) {
    static const char* const kDigits = "0123456789abcdef";
    std::string s(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    return s;
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  void expect(char c, const char* context) {
    if (at_end() || peek() != c)
      fail(pos_, std::string("expected '") + c + "' " + context + ", found " + describe(pos_));
    ++pos_;
  }

  Value value(int depth) {
    if (depth > kMaxDepth) fail(pos_, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    if (at_end()) fail(pos_, "expected a value, found end of input");
    const std::size_t start = pos_;
    Value v;
    const char c = peek();
    if (c == '{') {
      v = object(depth);
    } else if (c == '[') {
      v = array(depth);
    } else if (c == '"') {
      v = Value::string(string());
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v = number();
    } else if (literal("true")) {
      v = Value::boolean(true);
    } else if (literal("false")) {
      v = Value::boolean(false);
    } else if (!literal("null")) {
      fail(pos_, "expected a value, found " + describe(pos_));
    }
    v.position_ = start;
    return v;
  }

  // Consumes `word` if the text continues with it.
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Value object(int depth) {
    Value v = Value::object();
    ++pos_;
    skip_space();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return v;
    }
    while (true) {
      skip_space();
      if (at_end() || peek() != '"') fail(pos_, "expected a string key in object, found " + describe(pos_));
      const std::size_t key_pos = pos_;
      std::string key = string();
      if (v.find(key)) fail(key_pos, "duplicate key \"" + key + "\"");
      skip_space();
      expect(':', "after object key");
      skip_space();
      Value member = value(depth + 1);
      v.add(std::move(key), std::move(member));
      skip_space();
      if (!at_end() && peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}', "or ',' in object");
      return v;
    }
  }

  Value array(int depth) {
    Value v = Value::array({});
    ++pos_;
    skip_space();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return v;
    }
    while (true) {
      skip_space();
      v.items_.push_back(value(depth + 1));
      skip_space();
      if (!at_end() && peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']', "or ',' in array");
      return v;
    }
  }

  bool at_digit() const { return !at_end() && peek() >= '0' && peek() <= '9'; }

  void digits(const char* context) {
    if (!at_digit()) fail(pos_, std::string("expected a digit ") + context + ", found " + describe(pos_));
    while (at_digit()) ++pos_;
  }

  // An integer when there is no fraction or exponent, else a double.
  Value number() {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (!at_end() && peek() == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9')
      fail(pos_, "leading zeros are not allowed in numbers");
    digits("in number");
    bool integral = true;
    if (!at_end() && peek() == '.') {
      ++pos_;
      digits("after the decimal point");
      integral = false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      digits("in the exponent");
      integral = false;
    }
    const std::string_view text = text_.substr(start, pos_ - start);
    if (integral) {
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) fail(start, "integer out of the 64-bit range");
      return Value::integer(v);
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
      fail(start, "number out of the double range");
    return Value::number(v);
  }

  std::uint32_t hex4() {
    if (pos_ + 4 > text_.size()) fail(pos_, "\\u escape needs four hex digits");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      const char c = peek();
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else fail(pos_, "invalid hex digit in \\u escape: " + describe(pos_));
    }
    return v;
  }

  void escape(std::string& out) {
    const std::size_t start = pos_ - 1;
    if (at_end()) fail(start, "unterminated escape");
    const char c = peek();
    ++pos_;
    switch (c) {
      case '"': out += '"'; return;
      case '\\': out += '\\'; return;
      case '/': out += '/'; return;
      case 'b': out += '\b'; return;
      case 'f': out += '\f'; return;
      case 'n': out += '\n'; return;
      case 'r': out += '\r'; return;
      case 't': out += '\t'; return;
      case 'u': break;
      default: fail(start, "invalid escape \\" + std::string(1, c));
    }
    std::uint32_t cp = hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF) fail(start, "unpaired low surrogate \\u" + hex(cp, 4));
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u')
        fail(start, "high surrogate \\u" + hex(cp, 4) + " not followed by a low surrogate");
      pos_ += 2;
      const std::uint32_t low = hex4();
      if (low < 0xDC00 || low > 0xDFFF)
        fail(start, "high surrogate \\u" + hex(cp, 4) + " followed by \\u" + hex(low, 4));
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
  }

  // Copies one UTF-8 encoded character.
  void utf8_char(std::string& out) {
    const std::size_t length = utf8_length(text_, pos_);
    if (length == 0) fail(pos_, "invalid UTF-8 sequence starting with " + describe(pos_));
    out.append(text_.substr(pos_, length));
    pos_ += length;
  }

  std::string string() {
    const std::size_t start = pos_;
    ++pos_;
    std::string out;
    while (true) {
      if (at_end()) fail(start, "unterminated string");
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\') {
        ++pos_;
        escape(out);
      } else if (c < 0x20) {
        fail(pos_, "control character " + describe(pos_) + " in string must be escaped");
      } else if (c >= 0x80) {
        utf8_char(out);
      } else {
        out += static_cast<char>(c);
        ++pos_;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

namespace {

void dump_string(std::string& out, std::string_view s) {
  static const char* const kDigits = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_length(s, i);
      if (length == 0)
        throw Error("json::dump: a string of " + std::to_string(s.size()) + " bytes is not valid UTF-8 at byte " +
                    std::to_string(i));
      out.append(s.substr(i, length));
      i += length;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kDigits[c >> 4];
          out += kDigits[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

// The shortest text that reads back to v, marked as a double.
void dump_number(std::string& out, double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

class Writer {
 public:
  explicit Writer(int indent) : indent_(indent) {}

  void value(const Value& v, int depth) {
    switch (v.kind()) {
      case Value::Kind::null: out_ += "null"; return;
      case Value::Kind::boolean: out_ += v.as_boolean() ? "true" : "false"; return;
      case Value::Kind::integer: out_ += std::to_string(v.as_integer()); return;
      case Value::Kind::number: dump_number(out_, v.as_number()); return;
      case Value::Kind::string: dump_string(out_, v.as_string()); return;
      case Value::Kind::array: {
        const std::vector<Value>& items = v.items();
        out_ += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (i) out_ += ',';
          line_break(depth + 1);
          value(items[i], depth + 1);
        }
        if (!items.empty()) line_break(depth);
        out_ += ']';
        return;
      }
      case Value::Kind::object: {
        const std::vector<Member>& members = v.members();
        out_ += '{';
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (i) out_ += ',';
          line_break(depth + 1);
          dump_string(out_, members[i].key);
          out_ += indent_ ? ": " : ":";
          value(members[i].value, depth + 1);
        }
        if (!members.empty()) line_break(depth);
        out_ += '}';
        return;
      }
    }
  }

  std::string take() { return std::move(out_); }

 private:
  void line_break(int depth) {
    if (indent_ == 0) return;
    out_ += '\n';
    out_.append(static_cast<std::size_t>(indent_ * depth), ' ');
  }

  int indent_;
  std::string out_;
};

}  // namespace

Value parse(std::string_view text) { return Parser(text).document(); }

std::string dump(const Value& value, int indent) {
  Writer writer(indent);
  writer.value(value, 0);
  return writer.take();
}

}  // namespace nn::json
