// The access log (docs/access.md, "The access log"): each time a caller read
// a resident's personal data in clear, who, when, which case, which fields
// and why. Append-only and chained like the history: each record's hash is
// SHA-256 of the 32 bytes of the record before it's hash ‖ its own canonical
// bytes, so that removing or editing a record breaks every hash after it. It
// names fields, never their values, so erasing a case's personal data leaves
// it whole.
// Thread safety: implementations must be safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

struct AccessRecord {
  std::uint64_t position = 0;  // 1, 2, … in the order recorded; given by the store
  Timestamp at{};
  std::string key;        // the caller's key id: "3f9a1c2b7d04"
  std::string holder;     // who holds the key: "阳光花园物业服务中心"
  std::string role;       // "handler"
  std::string operation;  // what was asked: "readCase", "listCases", "readInbox"
  std::string case_id;
  std::vector<std::string> fields;  // "reporter.name", "reporter.phone", "location.address", "content", …
  std::string purpose;     // why, as the caller said it (X-Access-Purpose); may be empty
  std::string request_id;  // joins the record to the request log's line
  std::string prev_hash;   // the record before it's hash; 64 zeros for the first; given by the store
  std::string hash;        // given by the store

  friend bool operator==(const AccessRecord&, const AccessRecord&) = default;
};

inline constexpr std::string_view kAccessGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes hashed: the record as canonical JSON (RFC 8785) without its
// position, prev_hash and hash.
std::string access_record_canonical(const AccessRecord& record);
// SHA-256 (lowercase hex) of the 32 bytes `prev_hash` spells ‖ the canonical bytes.
std::string access_record_hash(const AccessRecord& record);
// The record as the log keeps it and the service answers it: JSON of every member.
std::string access_record_json(const AccessRecord& record);
// kDataLoss naming what is wrong when `json` is not a record.
[[nodiscard]] Result<AccessRecord> parse_access_record(std::string_view json);

class AccessLog {
 public:
  virtual ~AccessLog() = default;
  // Appends the records in their order, each given the next position, the
  // hash before it and its own hash, durably and all at once; returns them
  // so. kFailedPrecondition for a store that keeps no access log.
  [[nodiscard]] virtual Result<std::vector<AccessRecord>> append_access(std::vector<AccessRecord>) {
    return fail(ErrorCode::kFailedPrecondition, "this store keeps no access log");
  }
  // Up to `limit` records from position `from` on, in order.
  [[nodiscard]] virtual Result<std::vector<AccessRecord>> access_records(std::uint64_t /*from*/,
                                                                         std::size_t /*limit*/) const {
    return std::vector<AccessRecord>{};
  }
};

}  // namespace escalator
