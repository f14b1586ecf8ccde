#include "escalator/access/masking.hpp"

namespace escalator::access {
namespace {

// The byte length of the UTF-8 character that begins with `lead`.
std::size_t character_bytes(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); i += character_bytes(static_cast<unsigned char>(text[i]))) ++n;
  return n;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string mask_phone(std::string_view phone) {
  if (phone.size() <= 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') + std::string(phone.substr(phone.size() - 4));
}

std::string mask_name(std::string_view name) {
  if (name.empty()) return {};
  const std::size_t first = std::min(name.size(), character_bytes(static_cast<unsigned char>(name[0])));
  return std::string(name.substr(0, first)) + std::string(std::max<std::size_t>(1, characters(name) - 1), '*');
}

std::string mask_account(std::string_view account) {
  if (account.empty()) return {};
  if (account.size() <= 4) return "****";
  return std::string(account.substr(0, 4)) + "****";
}

std::string mask_address(std::string_view address) {
  std::size_t door = 0;
  for (std::string_view mark : {"楼", "栋", "单元"}) {
    const auto at = address.rfind(mark);
    if (at != std::string_view::npos) door = std::max(door, at + mark.size());
  }
  std::string out(address);
  for (std::size_t i = door; i < out.size(); ++i) {
    if (digit(out[i])) out[i] = '*';
  }
  return out;
}

std::string mask_text(std::string_view text) {
  if (text.empty()) return {};
  return "［已遮蔽，" + std::to_string(characters(text)) + " 字］";
}

}  // namespace escalator::access
