#include "repeat_calls.hpp"

#include <algorithm>

#include "sha256.hpp"
#include "store_layout.hpp"

namespace escalator::repeat_calls {
namespace {

std::string digest(std::string_view kind, std::string_view identity, const Location& location,
                   std::string_view category) {
  Sha256 sha;
  // Each part ends with NUL, which no part holds, so no two tuples give the same bytes.
  for (std::string_view part : {kind, identity, std::string_view(location.district_code),
                                std::string_view(location.compound), std::string_view(location.building), category}) {
    sha.update(part);
    sha.update(std::string_view("\0", 1));
  }
  const auto bytes = sha.finish();
  return std::string(bytes.begin(), bytes.end());
}

std::uint64_t seconds_of(Timestamp at) { return static_cast<std::uint64_t>(std::max<std::int64_t>(0, at.time_since_epoch().count())); }

}  // namespace

std::vector<std::string> digests_of(const Reporter& reporter, const Location& location, std::string_view category) {
  std::vector<std::string> digests;
  if (auto phone = caller_phone(reporter.phone); !phone.empty()) {
    digests.push_back(digest("phone", phone, location, category));
  }
  if (!reporter.account.empty()) digests.push_back(digest("account", reporter.account, location, category));
  return digests;
}

std::string entry(std::string_view digest, Timestamp opened_at, std::string_view case_id) {
  std::string key(digest);
  store_layout::put_big_endian(key, seconds_of(opened_at));
  key += case_id;
  return key;
}

std::string bound(std::string_view digest, Timestamp at) {
  std::string key(digest);
  store_layout::put_big_endian(key, seconds_of(at) + 1);
  return key;
}

std::optional<CallerIndex::Call> call_in(std::string_view entry, std::string_view digest) {
  if (entry.size() <= digest.size() + 8 || !entry.starts_with(digest)) return std::nullopt;
  const auto seconds = store_layout::read_big_endian(entry.substr(digest.size(), 8));
  return CallerIndex::Call{std::string(entry.substr(digest.size() + 8)),
                         Timestamp{std::chrono::seconds{static_cast<std::int64_t>(*seconds)}}};
}

std::vector<std::string> entries_of(const CaseWrite& write) {
  std::vector<std::string> entries;
  if (write.events.empty() || write.events.front().seq != 1) return entries;
  const auto* opened = std::get_if<ev::CaseOpened>(&write.events.front().payload);
  if (opened == nullptr) return entries;
  for (const auto& d : digests_of(opened->reporter, opened->location, opened->category)) {
    entries.push_back(entry(d, write.events.front().time, write.case_id));
  }
  return entries;
}

bool erases(const CaseWrite& write) {
  return std::any_of(write.events.begin(), write.events.end(), [](const Event& e) {
    return std::holds_alternative<ev::PersonalDataErased>(e.payload);
  });
}

}  // namespace escalator::repeat_calls
