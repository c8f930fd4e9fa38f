#include "io/json.hpp"

#include <limits>
#include <utility>

namespace nn::json {

Value Value::of(std::int64_t v) {
  Value out;
  out.kind = Kind::integer;
  out.integer = v;
  return out;
}

Value Value::of(std::string v) {
  Value out;
  out.kind = Kind::string;
  out.string = std::move(v);
  return out;
}

Value Value::array(std::vector<Value> items) {
  Value out;
  out.kind = Kind::array;
  out.items = std::move(items);
  return out;
}

Value Value::object() { return Value{}; }

Value& Value::add(std::string key, Value value) {
  members.push_back(Member{std::move(key), std::move(value)});
  return *this;
}

const Value* Value::find(std::string_view key) const {
  for (const Member& m : members)
    if (m.key == key) return &m.value;
  return nullptr;
}

const char* kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::integer: return "integer";
    case Value::Kind::string: return "string";
    case Value::Kind::array: return "array";
    case Value::Kind::object: return "object";
  }
  return "value";
}

namespace {

// Deep enough for any header; shallow enough that a hostile file cannot
// exhaust the stack.
constexpr int kMaxDepth = 64;

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
      v = Value::of(string());
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v = Value::of(integer());
    } else if (c == 't' || c == 'f' || c == 'n') {
      fail(pos_, "true, false and null are not supported (a safetensors header holds objects, arrays, strings "
                 "and integers)");
    } else {
      fail(pos_, "expected a value, found " + describe(pos_));
    }
    v.position = start;
    return v;
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
      v.items.push_back(value(depth + 1));
      skip_space();
      if (!at_end() && peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']', "or ',' in array");
      return v;
    }
  }

  std::int64_t integer() {
    const std::size_t start = pos_;
    const bool negative = peek() == '-';
    if (negative) ++pos_;
    if (at_end() || peek() < '0' || peek() > '9') fail(pos_, "expected a digit, found " + describe(pos_));
    if (peek() == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9')
      fail(pos_, "leading zeros are not allowed in numbers");
    // Accumulate as a negative number so that INT64_MIN fits.
    std::int64_t acc = 0;
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    while (!at_end() && peek() >= '0' && peek() <= '9') {
      const int digit = peek() - '0';
      if (acc < (kMin + digit) / 10) fail(start, "integer out of the 64-bit range");
      acc = acc * 10 - digit;
      ++pos_;
    }
    if (!at_end() && (peek() == '.' || peek() == 'e' || peek() == 'E'))
      fail(start, "only integers are supported, not fractions or exponents");
    if (negative) return acc;
    if (acc == kMin) fail(start, "integer out of the 64-bit range");
    return -acc;
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

  // Copies one UTF-8 encoded character, refusing overlong forms, surrogates
  // and code points beyond U+10FFFF.
  void utf8_char(std::string& out) {
    const std::size_t start = pos_;
    const auto lead = static_cast<unsigned char>(peek());
    int extra = 0;
    std::uint32_t cp = 0, min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) extra = 1, cp = lead & 0x1F, min = 0x80;
    else if (lead >= 0xE0 && lead <= 0xEF) extra = 2, cp = lead & 0x0F, min = 0x800;
    else if (lead >= 0xF0 && lead <= 0xF4) extra = 3, cp = lead & 0x07, min = 0x10000;
    else fail(start, "invalid UTF-8 lead " + describe(start));
    ++pos_;
    for (int i = 0; i < extra; ++i, ++pos_) {
      if (at_end() || (static_cast<unsigned char>(peek()) & 0xC0) != 0x80)
        fail(start, "truncated UTF-8 sequence");
      cp = (cp << 6) | (static_cast<unsigned char>(peek()) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail(start, "invalid UTF-8 sequence");
    out.append(text_.substr(start, pos_ - start));
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

void dump_string(std::string& out, std::string_view s) {
  static const char* const kDigits = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kDigits[c >> 4];
          out += kDigits[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void dump_value(std::string& out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::integer: out += std::to_string(v.integer); return;
    case Value::Kind::string: dump_string(out, v.string); return;
    case Value::Kind::array:
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        dump_value(out, v.items[i]);
      }
      out += ']';
      return;
    case Value::Kind::object:
      out += '{';
      for (std::size_t i = 0; i < v.members.size(); ++i) {
        if (i) out += ',';
        dump_string(out, v.members[i].key);
        out += ':';
        dump_value(out, v.members[i].value);
      }
      out += '}';
      return;
  }
}

}  // namespace

Value parse(std::string_view text) { return Parser(text).document(); }

std::string dump(const Value& value) {
  std::string out;
  dump_value(out, value);
  return out;
}

}  // namespace nn::json
