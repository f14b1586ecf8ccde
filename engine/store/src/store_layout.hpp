// How the durable store lays cases out in RocksDB: its column families, and
// keys whose byte order is the order that matters (numbers big-endian).
// docs/storage.md describes the same layout for operators and auditors.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "escalator/model/timer.hpp"
#include "escalator/util/result.hpp"

namespace escalator::store_layout {

// Column families, in the order the store opens them (after RocksDB's default).
// A family a format adds goes last, so that the handles of the others keep their places.
enum Family : int {
  kEvents, kCases, kTimers, kIndex, kWorkflows, kOrg, kOutbox, kMeta, kLog, kPersonal, kStats, kBehind, kAccess,
  kFamilyCount
};
inline constexpr std::array<std::string_view, kFamilyCount> kFamilyNames = {
    "events", "cases", "timers", "index", "workflows", "org", "outbox", "meta", "log", "personal", "stats", "behind",
    "access"};

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

// timers: "t/" + fire instant + warnings before timeouts + case id, NUL, kind:
// iterating "t/" gives every case's pending timers in PendingTimer's order.
// "c/" + case id lists the case's timers, so a write can remove them.
inline constexpr std::string_view kTimerPrefix = "t/";
inline constexpr std::string_view kCaseTimersPrefix = "c/";
// The instant as 8 bytes that sort as instants do. Offset binary: seconds
// before 1970 sort first too.
inline void put_instant(std::string& out, Timestamp at) {
  put_big_endian(out, static_cast<std::uint64_t>(at.time_since_epoch().count()) ^ (std::uint64_t{1} << 63));
}
inline std::optional<Timestamp> read_instant(std::string_view bytes) {
  const auto biased = read_big_endian(bytes);
  if (!biased) return std::nullopt;
  return Timestamp{std::chrono::seconds{static_cast<std::int64_t>(*biased ^ (std::uint64_t{1} << 63))}};
}
// Where the timers firing at or after `at` begin.
inline std::string timers_from(Timestamp at) {
  std::string key(kTimerPrefix);
  put_instant(key, at);
  return key;
}
inline std::string timer_key(const PendingTimer& timer) {
  std::string key(kTimerPrefix);
  put_instant(key, timer.at);
  key.push_back(timer.warning ? '\0' : '\1');
  key += timer.deadline.case_id;
  key.push_back('\0');
  key.push_back(static_cast<char>(timer.deadline.kind));
  return key;
}
// The instant a timers key fires at; none when the key is not one.
inline std::optional<Timestamp> timer_at(std::string_view key) {
  if (!key.starts_with(kTimerPrefix) || key.size() < kTimerPrefix.size() + 8) return std::nullopt;
  return read_instant(key.substr(kTimerPrefix.size(), 8));
}
inline std::string case_timers_key(std::string_view case_id) {
  return std::string(kCaseTimersPrefix) + std::string(case_id);
}

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

// index: "calls/" + a repeat_calls.hpp entry -> ""; "calls-of/" + case id ->
// the case's entries, each after its size (2 bytes, big-endian), which an
// erasure of the case's personal data deletes with them.
inline constexpr std::string_view kCallsPrefix = "calls/";
inline constexpr std::string_view kCallsOfPrefix = "calls-of/";

// index: "q/" + list + "/" + value + NUL + position -> "": the case lists
// (case_lists.hpp). The position is the case id, or for "opened" and "inbox"
// an instant (put_instant) and then the case id, so a list's order is its
// keys' order. NUL occurs in no value, so one value's cases are contiguous.
inline constexpr std::string_view kListPrefix = "q/";
inline std::string list_prefix(std::string_view list, std::string_view value) {
  std::string key(kListPrefix);
  key += list;
  key.push_back('/');
  key += value;
  key.push_back('\0');
  return key;
}

// The case id of a list entry's position: after the instant in the lists
// ordered by one.
inline std::string_view list_case_id(std::string_view list, std::string_view position) {
  const bool timed = list == "opened" || list == "inbox";
  return timed ? (position.size() > 8 ? position.substr(8) : std::string_view()) : position;
}

// kInvalidArgument naming the lists when `list` is not one of kCaseLists
// (case_lists.cpp).
[[nodiscard]] Result<void> known_list(std::string_view list);

// outbox: position in commit order -> one command's record (docs/storage.md).
inline std::string outbox_key(std::uint64_t position) {
  std::string key;
  put_big_endian(key, position);
  return key;
}

// log: position in commit order (8 bytes) -> the event there (event_record.hpp).
inline std::string log_key(std::uint64_t position) {
  std::string key;
  put_big_endian(key, position);
  return key;
}

// access: position in the order recorded (8 bytes) -> the access record
// (access_log.hpp).
inline std::string access_key(std::uint64_t position) {
  std::string key;
  put_big_endian(key, position);
  return key;
}

// personal: the case id -> the case's personal data with its salts
// (personal_data.hpp), deleted when the data is erased.

// meta: the store's own bookkeeping.
inline constexpr std::string_view kFormatVersionKey = "format_version";  // decimal text
inline constexpr std::string_view kCasesOpenedKey = "cases_opened";      // 8 bytes, big-endian
inline constexpr std::string_view kOutboxNextKey = "outbox_next";        // 8 bytes, big-endian
inline constexpr std::string_view kTimersLowWaterKey = "timers_low_water";  // put_instant(): no timer below it
// What the report counters were counted with (store_stats.hpp): none until
// they are, and none while a recount replaces them.
inline constexpr std::string_view kStatsStampKey = "stats_stamp";
// Present while an upgrade seals the history written before format 4 (and
// moves its personal data out): the format it started from, as decimal text.
// Opening the store finishes it.
inline constexpr std::string_view kSealingFromKey = "sealing_from";
// Written when a format 3 history, verified whole, is sealed again for format 4:
// {"format":3,"log_hash":"…","log_position":N}, the old log's last entry.
inline constexpr std::string_view kResealedFromKey = "resealed_from";
// Present while an upgrade to format 5 gives every snapshot the members that
// format added (`duplicates`): the format it started from. Opening the store finishes it.
inline constexpr std::string_view kSnapshotsFromKey = "snapshots_from";
// Present while an upgrade to format 10 puts every case on the case lists:
// the format it started from. Opening the store finishes it.
inline constexpr std::string_view kListsFromKey = "lists_from";
// Present from the write that erases a case's personal data until the files
// are rewritten without it (CallerIndex::purge_deleted): a purge a kill
// interrupted is finished by the next open.
inline constexpr std::string_view kPurgePendingKey = "purge_pending";

}  // namespace escalator::store_layout
