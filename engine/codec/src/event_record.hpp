// How the durable store keeps an event and its place in the log (store
// format 3, docs/storage.md and docs/history.md).
//
// events value: {"event":<canonical bytes>,"hash":"<64 hex>","position":N,"prev_hash":"<64 hex>"}
//   The bytes the hash is taken over sit in the record verbatim, so a verifier
//   hashes a slice of the record without decoding it; and the record as a
//   whole is canonical JSON too.
// log value:    {"case_id":"...","hash":"<64 hex>","log_hash":"<64 hex>","seq":N}
//   under the position (8 bytes, big-endian). log_hash = SHA-256(the previous
//   entry's log_hash's 32 bytes ‖ this event's hash's 32 bytes), kGenesisHash
//   before the first: one value that commits to the whole log up to here, for
//   the signed checkpoints a later release will add.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"
#include "sha256.hpp"

namespace escalator::event_record {

// The parts of an events value, pointing into it. The two hashes are 64
// lowercase hex digits, as to_hex writes them; any other spelling is not a
// record of this form.
struct Parts {
  std::string_view canonical;
  std::string_view hash;
  std::uint64_t position = 0;
  std::string_view prev_hash;
};

std::string encode(std::string_view canonical, std::string_view hash, std::uint64_t position,
                   std::string_view prev_hash);
// None when `value` is not of the form above.
std::optional<Parts> split(std::string_view value);
// The event the value holds, hashes and position included. Errors kDataLoss,
// without the record's key (the caller names it). With `before_chain`, a
// value of store formats 1 and 2 (the event JSON alone, unsealed) is read too.
[[nodiscard]] Result<Event> decode(std::string_view value, bool before_chain = false);
// The event of a value already split.
[[nodiscard]] Result<Event> decode(const Parts& parts);
// The same into `event`, whose storage is reused, so that a replay reading
// one event over the last allocates less. On an error `event` holds nothing
// to rely on.
[[nodiscard]] Result<void> decode(const Parts& parts, Event& event);
// One case's chain walked record by record, as replay and audit walk it: the
// hash the next record must name as its prev_hash. While each record's seal
// holds, the head keeps that hash's digest too, so a record that names it
// has no hex to decode before it is hashed.
class ChainHead {
 public:
  // At the start of a case: the genesis hash.
  ChainHead();
  std::string_view hash() const { return {hex_.data(), hex_.size()}; }
  // Whether the record's hash is SHA-256(its prev_hash's 32 bytes ‖ its
  // canonical bytes), as chained_hash() spells it: the check of one link,
  // over the prev_hash the record names, whatever the head was. Either way
  // the head moves on to the record's hash.
  [[nodiscard]] bool advance(const Parts& parts);

 private:
  std::array<char, 64> hex_{};
  Sha256Digest digest_{};  // of hex_, while digest_known_
  bool digest_known_ = true;
};

struct LogEntry {
  std::string case_id;
  std::uint64_t seq = 0;
  std::string hash;
  std::string log_hash;
};
std::string encode_log(const LogEntry& entry);
[[nodiscard]] Result<LogEntry> decode_log(std::string_view value);
// The log_hash after `previous` for an event whose hash is `event_hash`.
// kInvalidArgument when either is not 64 hex digits.
[[nodiscard]] Result<std::string> next_log_hash(std::string_view previous,
                                                std::string_view event_hash);

}  // namespace escalator::event_record
