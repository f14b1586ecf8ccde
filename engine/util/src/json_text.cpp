#include "json_text.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace escalator {

bool is_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // Most bytes of JSON are ASCII: eight at a time while they are.
    if (end - p >= 8) {
      std::uint64_t eight = 0;
      std::memcpy(&eight, p, 8);
      if ((eight & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    // The second byte's range excludes overlong forms (E0, F0), surrogates
    // (ED) and code points above U+10FFFF (F4), as in RFC 3629's table.
    int length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end - p < length) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int i = 2; i < length; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += length;
  }
  return true;
}

void JsonText::key(std::string_view name) {
  separate();
  quoted(name);
  out_.push_back(':');
  need_comma_ = false;
}

void JsonText::value(std::string_view text) {
  separate();
  quoted(text);
  need_comma_ = true;
}

void JsonText::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  need_comma_ = true;
}

void JsonText::value(std::uint64_t n) { integer(n); }

void JsonText::value(std::int64_t n) { integer(n); }

template <typename Integer>
void JsonText::integer(Integer n) {
  separate();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out_.append(digits, end);
  need_comma_ = true;
}

void JsonText::quoted(std::string_view text) {
  if (utf8_ && !is_utf8(text)) utf8_ = false;
  out_.push_back('"');
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += "\\u00";
        out_.push_back(kHex[c >> 4]);
        out_.push_back(kHex[c & 15]);
      }
    }
  }
  out_.append(text.data() + plain, text.size() - plain);
  out_.push_back('"');
}

}  // namespace escalator
