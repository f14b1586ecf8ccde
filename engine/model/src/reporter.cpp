#include "escalator/model/case.hpp"

namespace escalator {

std::string caller_phone(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.size() == 13 && digits.starts_with("86")) digits.erase(0, 2);
  return digits;
}

bool names_reporter(const Reporter& reporter, std::string_view resident) {
  if (resident.empty()) return false;
  if (!reporter.account.empty() && reporter.account == resident) return true;
  const std::string phone = caller_phone(resident);
  return !phone.empty() && caller_phone(reporter.phone) == phone;
}

}  // namespace escalator
