// normalise_address (address.hpp).
#include "escalator/org/address.hpp"

#include "json_text.hpp"
#include "utf8.hpp"

namespace escalator {
namespace {

// Separators that change nothing of where a place is.
bool dropped(char32_t cp) {
  return cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == U'\u3000' || cp == U',' ||
         cp == U'\u3001' || cp == U'\u3002' || cp == U'\u00B7' || cp == U'\u30FB';
}

char32_t rewritten(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
  if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63) cp = U'-';
  if (cp >= U'A' && cp <= U'Z') cp += U'a' - U'A';
  if (cp == U'幢') cp = U'栋';
  return cp;
}

int digit_of(char32_t cp) {
  switch (cp) {
    case U'零': case U'〇': return 0;
    case U'一': return 1;
    case U'二': case U'两': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    default: return -1;
  }
}

int multiplier_of(char32_t cp) { return cp == U'十' ? 10 : cp == U'百' ? 100 : cp == U'千' ? 1000 : 0; }

bool counts_a_unit(char32_t cp) {
  return cp == U'号' || cp == U'栋' || cp == U'楼' || cp == U'单' || cp == U'层' || cp == U'室';
}

// 十二 → 12, 二十三 → 23, 一百零五 → 105; 五〇二 (no 十 or 百) → 502.
std::string arabic(const std::u32string& numeral) {
  bool positional = false;
  for (char32_t cp : numeral) positional = positional || multiplier_of(cp) != 0;
  if (!positional) {
    std::string digits;
    for (char32_t cp : numeral) digits += static_cast<char>('0' + digit_of(cp));
    return digits;
  }
  long total = 0;
  int digit = 0;
  bool seen_digit = false;
  for (char32_t cp : numeral) {
    if (const int m = multiplier_of(cp)) {
      total += (seen_digit ? digit : 1) * m;
      digit = 0;
      seen_digit = false;
    } else {
      digit = digit_of(cp);
      seen_digit = true;
    }
  }
  return std::to_string(total + digit);
}

}  // namespace

std::string normalise_address(std::string_view address) {
  if (!is_utf8(address)) return std::string(address);
  std::u32string text;
  for (std::size_t at = 0; at < address.size();) {
    const char32_t cp = rewritten(next_code_point(address, at));
    if (!dropped(cp)) text += cp;
  }
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = i;
    while (end < text.size() && (digit_of(text[end]) >= 0 || multiplier_of(text[end]) != 0)) ++end;
    if (end > i && end < text.size() && counts_a_unit(text[end])) {
      out += arabic(text.substr(i, end - i));
      i = end;
      continue;
    }
    if (end == i) end = i + 1;
    for (; i < end; ++i) {
      // 号楼 is a building, as 栋 is; 号 alone is a street number.
      if (text[i] == U'号' && i + 1 < text.size() && text[i + 1] == U'楼') {
        append_utf8(out, U'栋');
        ++i;
        continue;
      }
      append_utf8(out, text[i]);
    }
  }
  return out;
}

}  // namespace escalator
