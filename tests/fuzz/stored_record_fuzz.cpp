// libFuzzer target: what the store reads back from disk, where bytes may have
// changed behind the engine's back: an event record (both readers of its
// JSON, the fast one and the one that names the problem), a log entry, and a
// case's snapshot. Each must be refused as data loss, never trusted or crashed on.
#include "event_json.hpp"
#include "event_record.hpp"
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = escalator::fuzz::text_of(data, size);
  (void)escalator::event_record::decode(text);
  (void)escalator::event_record::decode(text, true);
  (void)escalator::event_record::decode_log(text);
  (void)escalator::event_from_text(text);
  auto json = escalator::EventJson::parse(text, nullptr, false);
  if (!json.is_discarded()) (void)escalator::event_from_json(json);
  (void)escalator::read_case_text(text);
  return 0;
}
