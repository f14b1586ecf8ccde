// libFuzzer target: one year's official calendar notice, as `calendar check`
// and `calendar import` read it; a year that reads is put in force.
#include "escalator/calendar/official_calendar.hpp"
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto year = escalator::parse_calendar_year(escalator::fuzz::text_of(data, size), "fuzz.json");
  if (year) (void)escalator::OfficialCalendar::from_years({std::move(*year)});
  return 0;
}
