#include "escalator/access/masking.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace escalator::access {
namespace {

std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t at = 0; at < text.size(); ++n) next_code_point(text, at);
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
  std::size_t first = 0;
  next_code_point(name, first);
  first = std::min(first, name.size());
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
