#include "store_prepared.hpp"

#include <algorithm>
#include <iterator>

#include "escalator/lifecycle/history.hpp"
#include "event_json.hpp"
#include "personal_data.hpp"
#include "repeat_calls.hpp"
#include "store_layout.hpp"
#include "store_records.hpp"

namespace escalator {

namespace layout = store_layout;

Prepared prepare(const CaseWrite& write, EventStore::Done done) {
  Prepared p;
  p.case_id = write.case_id;
  p.first_seq = write.events.empty() ? 0 : write.events.front().seq;
  p.last_seq = write.events.empty() ? 0 : write.events.back().seq;
  if (p.first_seq == 1) p.external_id = write.snapshot.external_id;
  if (const auto* opened = write.events.empty() ? nullptr : std::get_if<ev::CaseOpened>(&write.events.front().payload)) {
    p.personal_record = personal_data::encode(*opened);
  }
  p.erases_personal = repeat_calls::erases(write);
  p.call_entries = repeat_calls::entries_of(write);
  const bool sealed_here = write.canonical.size() == write.events.size();
  for (std::size_t i = 0; i < write.events.size(); ++i) {
    const Event& event = write.events[i];
    auto canonical = sealed_here ? Result<std::string>(write.canonical[i]) : canonical_bytes(event);
    if (!canonical || event.hash.empty()) {
      p.unsealed = Error{ErrorCode::kInvalidArgument,
                         "Event " + std::to_string(event.seq) + " of case " + p.case_id + " cannot be stored: " +
                             (canonical ? "it is not sealed (history.hpp, seal())" : canonical.error().message)};
      break;
    }
    p.events.push_back(
        {event.seq, layout::event_key(p.case_id, event.seq), std::move(*canonical), event.hash, event.prev_hash});
  }
  p.snapshot = case_json_text(write.snapshot);
  p.timers = write.timers;
  p.timers_record = store_records::timers(write.timers);
  const auto after = case_list_entries(write.snapshot);
  auto before = write.lists_before;
  std::sort(before.begin(), before.end());
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(p.lists_removed));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(p.lists_added));
  p.stats = write.stats;
  p.outbox_record = store_records::outbox(p.case_id, write.events);
  p.done = std::move(done);
  return p;
}

}  // namespace escalator
