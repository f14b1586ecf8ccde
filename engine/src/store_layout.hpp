// How the durable store lays cases out in RocksDB: its column families, and
// keys whose byte order is the order that matters (numbers big-endian).
// docs/storage.md describes the same layout for operators and auditors.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace escalator::store_layout {

// Column families, in the order the store opens them (after RocksDB's default).
enum Family : int { kEvents, kCases, kTimers, kIndex, kWorkflows, kOrg, kOutbox, kMeta, kFamilyCount };
inline constexpr std::array<std::string_view, kFamilyCount> kFamilyNames = {
    "events", "cases", "timers", "index", "workflows", "org", "outbox", "meta"};

inline void put_big_endian(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}
inline std::optional<std::uint64_t> read_big_endian(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  std::uint64_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return value;
}

// events: case id, NUL, seq. NUL never occurs in a case id, so one case's
// events are contiguous and in seq order, and no id is a prefix of another's key.
inline std::string event_prefix(std::string_view case_id) {
  std::string key(case_id);
  key.push_back('\0');
  return key;
}
inline std::string event_key(std::string_view case_id, std::uint64_t seq) {
  std::string key = event_prefix(case_id);
  put_big_endian(key, seq);
  return key;
}
// The seq of an events key of `case_id`; none when the key is not one.
inline std::optional<std::uint64_t> event_seq(std::string_view key, std::string_view case_id) {
  if (key.size() != case_id.size() + 9 || !key.starts_with(case_id) || key[case_id.size()] != '\0') {
    return std::nullopt;
  }
  return read_big_endian(key.substr(case_id.size() + 1));
}

// cases: the case id itself.

// index: "external/" + external id -> case id; "opened/" + ordinal -> case id.
inline constexpr std::string_view kExternalPrefix = "external/";
inline constexpr std::string_view kOpenedPrefix = "opened/";
inline std::string external_key(std::string_view external_id) {
  return std::string(kExternalPrefix) + std::string(external_id);
}
inline std::string opened_key(std::uint64_t ordinal) {
  std::string key(kOpenedPrefix);
  put_big_endian(key, ordinal);
  return key;
}

// outbox: position in commit order -> one command's record (docs/storage.md).
inline std::string outbox_key(std::uint64_t position) {
  std::string key;
  put_big_endian(key, position);
  return key;
}

// meta: the store's own bookkeeping.
inline constexpr std::string_view kFormatVersionKey = "format_version";  // decimal text
inline constexpr std::string_view kCasesOpenedKey = "cases_opened";      // 8 bytes, big-endian
inline constexpr std::string_view kOutboxNextKey = "outbox_next";        // 8 bytes, big-endian

}  // namespace escalator::store_layout
