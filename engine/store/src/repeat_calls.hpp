// The index that finds a caller's previous case (重复来电, docs/stats.md
// "Repeat calls"). A case is found by a digest of each identity its reporter
// gave (phone, account) with its place and category; the entries are derived
// from personal data, so erasing the case's personal data deletes them.
//
// entry: digest (32 bytes), opened_at (seconds since 1970, big-endian),
//   case id: one caller's cases at one place in one category, oldest first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/store/store.hpp"

namespace escalator::repeat_calls {

// One digest per identity given: SHA-256 over the kind of identity, the
// identity (a phone as its digits, without a leading 86 country code), the
// district, compound and building, and the category. None without either.
std::vector<std::string> digests_of(const Reporter& reporter, const Location& location,
                                    std::string_view category);

std::string entry(std::string_view digest, Timestamp opened_at, std::string_view case_id);
// Just above every entry of `digest` opened at or before `at`: the entry
// before it, if it is of `digest`, is the latest such.
std::string bound(std::string_view digest, Timestamp at);
// The call an entry of `digest` names; none when the entry is another digest's.
std::optional<CallerIndex::Call> call_in(std::string_view entry, std::string_view digest);

// The entries a write makes: for a write that opens a case with a caller,
// one per digest; none for any other.
std::vector<std::string> entries_of(const CaseWrite& write);
// Whether the write erases its case's personal data, and so its entries.
bool erases(const CaseWrite& write);

}  // namespace escalator::repeat_calls
