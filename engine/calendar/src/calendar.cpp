// Deadlines on a calendar. Days are walked one at a time: durations are bounded
// (parse_duration caps the amount), and a loop a reader can check by hand is
// worth more here than a clever formula.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "escalator/calendar/calendar.hpp"

namespace escalator {
namespace {

using namespace std::chrono;

// A calendar with no working day for this long cannot produce a working-unit
// deadline; rather than loop for ever, the deadline never comes.
constexpr int kMaxDaysWithoutWork = 3660;
// parse_duration caps amounts at 100000; a larger one comes from corrupt data
// and, like the case above, never falls due instead of overflowing.
constexpr std::int64_t kMaxAmount = 1000000;

// The date in China Standard Time on which `t` falls.
sys_days china_day(Timestamp t) { return floor<days>(t + kChinaOffset); }

// 00:00 China Standard Time at the start of `day`.
Timestamp china_midnight(sys_days day) { return Timestamp{day} - kChinaOffset; }

// Counting starts the day after `from` and ends at the midnight closing the
// last day counted.
Timestamp end_of_days(const Calendar& calendar, Timestamp from, std::int64_t amount,
                      bool working_only) {
  sys_days day = china_day(from);
  int idle = 0;
  while (amount > 0) {
    day += days{1};
    if (!working_only || calendar.is_working_day(day)) {
      --amount;
      idle = 0;
    } else if (++idle > kMaxDaysWithoutWork) {
      return Timestamp::max();
    }
  }
  return china_midnight(day + days{1});
}

Timestamp walk_working_time(const Calendar& calendar, Timestamp from, seconds left) {
  if (left <= seconds{0}) return from;
  sys_days day = china_day(from);
  for (int idle = 0; idle <= kMaxDaysWithoutWork; day += days{1}) {
    if (!calendar.is_working_day(day)) {
      ++idle;
      continue;
    }
    idle = 0;
    for (const WorkingWindow& w : calendar.working_hours()) {
      const Timestamp begin = std::max(from, china_midnight(day) + w.begin);
      const Timestamp end = china_midnight(day) + w.end;
      if (end <= begin) continue;
      // `<=`: a deadline that uses a window up exactly falls at the window's
      // end (12:00), not at the start of the next (13:30).
      if (left <= end - begin) return begin + left;
      left -= end - begin;
    }
  }
  return Timestamp::max();
}

// The start of the `amount`-th working day counted back from the day in which
// the instant just before `due` falls.
Timestamp start_of_working_days_before(const Calendar& calendar, Timestamp due, std::int64_t amount) {
  sys_days day = china_day(due - seconds{1});
  for (int idle = 0; idle <= kMaxDaysWithoutWork; day -= days{1}) {
    if (!calendar.is_working_day(day)) {
      ++idle;
      continue;
    }
    idle = 0;
    if (--amount == 0) return china_midnight(day);
  }
  return Timestamp::min();
}

Timestamp start_of_working_hours_before(const Calendar& calendar, Timestamp due, std::int64_t amount) {
  seconds left = hours{amount};
  sys_days day = china_day(due);
  for (int idle = 0; idle <= kMaxDaysWithoutWork; day -= days{1}) {
    if (!calendar.is_working_day(day)) {
      ++idle;
      continue;
    }
    idle = 0;
    const WorkingHours& windows = calendar.working_hours();
    for (auto w = windows.rbegin(); w != windows.rend(); ++w) {
      const Timestamp begin = china_midnight(day) + w->begin;
      const Timestamp end = std::min(due, china_midnight(day) + w->end);
      if (end <= begin) continue;
      // `<=`: walking back exactly a window's length lands on its start (13:30),
      // not on the end of the one before (12:00).
      if (left <= end - begin) return end - left;
      left -= end - begin;
    }
  }
  return Timestamp::min();
}

}  // namespace

const WorkingHours& default_working_hours() {
  static const WorkingHours windows{{hours{9}, hours{12}}, {hours{13} + minutes{30}, hours{17} + minutes{30}}};
  return windows;
}

Result<WorkingHours> parse_working_hours(const std::vector<std::string>& windows) {
  WorkingHours result;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const std::string& text = windows[i];
    const auto bad = [&](const std::string& why) {
      return fail(ErrorCode::kInvalidArgument, "working_hours/" + std::to_string(i) + ": '" + text + "' " + why);
    };
    unsigned h1 = 0, m1 = 0, h2 = 0, m2 = 0;
    char tail = 0;
    if (text.size() != 11 || std::sscanf(text.c_str(), "%2u:%2u-%2u:%2u%c", &h1, &m1, &h2, &m2, &tail) != 4) {
      return bad("is not a window like 09:00-12:00");
    }
    if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 == 24 && m2 != 0)) return bad("is not a time of day");
    const WorkingWindow w{hours{h1} + minutes{m1}, hours{h2} + minutes{m2}};
    if (w.end <= w.begin) return bad("ends before it begins");
    if (!result.empty() && w.begin < result.back().end) {
      return bad("begins before the window before it ends; write the windows in order, apart");
    }
    result.push_back(w);
  }
  if (result.empty()) return fail(ErrorCode::kInvalidArgument, "working_hours: at least one window is needed");
  return result;
}

std::string format_working_hours(const WorkingHours& windows) {
  std::string out;
  const auto clock = [](minutes m) {
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(m.count() / 60), static_cast<int>(m.count() % 60));
    return std::string(text);
  };
  for (const auto& w : windows) out += (out.empty() ? "" : ", ") + clock(w.begin) + "-" + clock(w.end);
  return out;
}

Timestamp Calendar::before(Timestamp due, const Duration& d) const {
  if (d.amount <= 0 || due == Timestamp::max()) return due;
  if (d.amount > kMaxAmount) return Timestamp::min();
  switch (d.unit) {
    case Duration::Unit::kHours: return due - hours{d.amount};
    case Duration::Unit::kWorkingHours: return start_of_working_hours_before(*this, due, d.amount);
    case Duration::Unit::kDays: return due - days{d.amount};
    case Duration::Unit::kWorkingDays: return start_of_working_days_before(*this, due, d.amount);
  }
  return due;
}

Timestamp Calendar::deadline(Timestamp from, const Duration& d) const {
  // A zero (or, from corrupt data, negative) duration is already due.
  if (d.amount <= 0) return from;
  if (d.amount > kMaxAmount) return Timestamp::max();
  switch (d.unit) {
    case Duration::Unit::kHours: return from + hours{d.amount};
    case Duration::Unit::kWorkingHours: return walk_working_time(*this, from, hours{d.amount});
    case Duration::Unit::kDays: return end_of_days(*this, from, d.amount, false);
    case Duration::Unit::kWorkingDays: return end_of_days(*this, from, d.amount, true);
  }
  return from;
}

seconds Calendar::working_time(Timestamp from, Timestamp to) const {
  seconds total{0};
  if (to <= from) return total;
  // A century bounds the walk: "never due" (Timestamp::max()) is far beyond it.
  to = std::min(to, from + days{36525});
  int idle = 0;
  for (sys_days day = china_day(from); day <= china_day(to - seconds{1}); day += days{1}) {
    if (!is_working_day(day)) {
      if (++idle > kMaxDaysWithoutWork) break;
      continue;
    }
    idle = 0;
    for (const WorkingWindow& w : working_hours()) {
      const Timestamp begin = std::max(from, china_midnight(day) + w.begin);
      const Timestamp end = std::min(to, china_midnight(day) + w.end);
      if (end > begin) total += end - begin;
    }
  }
  return total;
}

Timestamp Calendar::after_working_time(Timestamp from, seconds amount) const {
  return walk_working_time(*this, from, amount);
}

bool Calendar::provisional(Timestamp from, Timestamp to) const {
  if (to < from) std::swap(from, to);
  // A deadline that never comes was not counted over any day.
  if (to == Timestamp::max()) to = from;
  const sys_days last = china_day(to);
  int checked = 0;
  for (sys_days day = china_day(from); day <= last; day += days{1}) {
    if (is_provisional(day)) return true;
    if (++checked > kMaxDaysWithoutWork) return true;  // beyond any calendar's data
  }
  return false;
}

}  // namespace escalator
