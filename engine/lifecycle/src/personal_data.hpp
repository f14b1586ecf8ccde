// A case's personal data apart from its history (docs/history.md, "Personal
// data"): the five fields, walked in one place, and the store's personal
// record that holds each value with its salt.
//
// personal value: {"<field>":{"salt":"<64 hex>","value":"…"},…}, keys sorted,
//   one member per value given, under the case id in the `personal` family.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"

namespace escalator::personal_data {

// Calls f(name, value, salt, commitment) for each personal field of the event,
// in the order of the record's keys.
template <typename Opened, typename F>
  requires std::same_as<std::remove_const_t<Opened>, ev::CaseOpened>
void each_field(Opened& e, F f) {
  f("address", e.location.address, e.salts.address, e.commitments.address);
  f("content", e.content, e.salts.content, e.commitments.content);
  f("reporter_account", e.reporter.account, e.salts.reporter_account, e.commitments.reporter_account);
  f("reporter_name", e.reporter.name, e.salts.reporter_name, e.commitments.reporter_name);
  f("reporter_phone", e.reporter.phone, e.salts.reporter_phone, e.commitments.reporter_phone);
}

// Whether the event holds any personal value (and so has a record to keep).
bool any_value(const ev::CaseOpened& e);
// The record of the event's values and salts; empty when it holds none.
std::string encode(const ev::CaseOpened& e);
// Puts the record's values and salts back into an event read from the history,
// checking each against its commitment. kDataLoss, naming the field, when the
// record is malformed, holds a field the event has no commitment for, or a
// value that does not match its commitment.
[[nodiscard]] Result<void> join(std::string_view record, ev::CaseOpened& e);
// Whether `resident` names the record's reporter (names_reporter: a phone
// however written, an account exactly).
bool names_resident(std::string_view record, std::string_view resident);
// Each field whose value and salt do not give its commitment, or that has a
// value without one: "reporter_phone does not match its commitment".
std::vector<std::string> mismatches(const ev::CaseOpened& e);
// After events are appended to a history: when the last one erased the
// personal data, the CaseOpened's values and salts are cleared, as a store
// that deleted them would give them back.
void forget_if_erased(std::vector<Event>& history);
// The values of the event, as the case holds them.
void copy_values(const ev::CaseOpened& e, CaseState& k);

}  // namespace escalator::personal_data
