// Text forms of instants and durations. GCC 12 has neither std::format nor
// std::chrono::parse, so both directions are written out by hand; every field
// is range-checked because a deadline read from a file must never wrap around.
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "escalator/util/time.hpp"

namespace escalator {
namespace {

using namespace std::chrono;

// Far more than any deadline needs (100000 hours is 11 years); the bound keeps
// the calendar's day-by-day loops short and the arithmetic far from overflow.
constexpr std::int64_t kMaxDurationAmount = 100000;

constexpr std::string_view kTimeForms =
    "Expected a time like 2025-09-30T09:00:00+08:00, 2025-09-30T01:00:00Z or 2025-09-30 09:00 "
    "(China Standard Time)";

// Reads exactly `width` ASCII digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

Result<Timestamp> bad_time(std::string_view text, std::string_view why = {}) {
  std::string message = std::string(kTimeForms) + ", but got '" + std::string(text) + "'";
  if (!why.empty()) message += " (" + std::string(why) + ")";
  return fail(ErrorCode::kInvalidArgument, std::move(message));
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The form format_time() writes, which every stored instant has, read in one
// pass without the general reader's steps: replay and audit read one or more
// per event. None for anything else, valid or not; the general reader decides.
std::optional<Timestamp> written_form(std::string_view text) {
  constexpr std::string_view kZone = "+08:00";
  if (text.size() != 25 || text.substr(19) != kZone || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  unsigned not_digits = 0;
  const auto number = [&](std::size_t at, std::size_t width) {
    unsigned value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
      const unsigned digit = static_cast<unsigned char>(text[i]) - unsigned{'0'};
      not_digits |= digit > 9;
      value = value * 10 + digit;
    }
    return value;
  };
  const year_month_day ymd{year{static_cast<int>(number(0, 4))}, month{number(5, 2)}, day{number(8, 2)}};
  const unsigned h = number(11, 2), mi = number(14, 2), s = number(17, 2);
  if (not_digits != 0 || !ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return Timestamp{sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} - kChinaOffset};
}

}  // namespace

bool is_writable_time(Timestamp t) {
  // Compared as days, which cannot overflow where the instant plus the offset could.
  constexpr auto kFirst = sys_days{year{0} / 1 / 1}, kAfterLast = sys_days{year{10000} / 1 / 1};
  const auto day = floor<days>(t);
  if (day < kFirst - days{1} || day >= kAfterLast) return false;
  const auto local = floor<days>(t + kChinaOffset);
  return local >= kFirst && local < kAfterLast;
}

std::string format_time(Timestamp t) {
  const auto local = t + kChinaOffset;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  const int year = static_cast<int>(ymd.year());
  if (year >= 0 && year <= 9999) {
    // Digit by digit: an event is sealed with several instants, and
    // snprintf's format parsing took a sixth of writing its canonical bytes.
    std::string text = "0000-00-00T00:00:00+08:00";
    const auto two = [&text](std::size_t at, long long value) {
      text[at] = static_cast<char>('0' + value / 10);
      text[at + 1] = static_cast<char>('0' + value % 10);
    };
    two(0, year / 100);
    two(2, year % 100);
    two(5, static_cast<unsigned>(ymd.month()));
    two(8, static_cast<unsigned>(ymd.day()));
    two(11, hms.hours().count());
    two(14, hms.minutes().count());
    two(17, hms.seconds().count());
    return text;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<Timestamp> parse_time(std::string_view text) {
  if (const auto written = written_form(text)) return *written;
  std::size_t pos = 0;
  const auto y = digits(text, pos, 4);
  const bool dash1 = expect(text, pos, '-');
  const auto mo = digits(text, pos, 2);
  const bool dash2 = expect(text, pos, '-');
  const auto d = digits(text, pos, 2);
  const bool sep = expect(text, pos, 'T') || expect(text, pos, ' ');
  const auto h = digits(text, pos, 2);
  const bool colon = expect(text, pos, ':');
  const auto mi = digits(text, pos, 2);
  if (!y || !dash1 || !mo || !dash2 || !d || !sep || !h || !colon || !mi) return bad_time(text);
  std::optional<int> s = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    s = digits(text, pos, 2);
    if (!s) return bad_time(text);
  }
  // No zone: the text is in China Standard Time, as people in the field write it.
  seconds offset = kChinaOffset;
  if (pos < text.size()) {
    if (text[pos] == 'Z') {
      ++pos;
      offset = seconds{0};
    } else if (text[pos] == '+' || text[pos] == '-') {
      const int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      const auto oh = digits(text, pos, 2);
      const bool ocolon = expect(text, pos, ':');
      const auto om = digits(text, pos, 2);
      if (!oh || !ocolon || !om) return bad_time(text);
      if (*oh > 23 || *om > 59) return bad_time(text, "the offset is out of range");
      offset = seconds{sign * (*oh * 3600 + *om * 60)};
    }
    if (pos != text.size()) return bad_time(text);
  }

  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)},
                           day{static_cast<unsigned>(*d)}};
  if (!ymd.month().ok()) return bad_time(text, "there is no month " + two(*mo));
  if (!ymd.ok()) {
    return bad_time(text, "there is no day " + two(*d) + " in " + std::to_string(*y) + "-" +
                              two(*mo));
  }
  if (*h > 23) return bad_time(text, "the hour must be 00 to 23");
  if (*mi > 59) return bad_time(text, "the minute must be 00 to 59");
  if (*s > 59) return bad_time(text, "the second must be 00 to 59");
  const auto local = sys_days{ymd} + hours{*h} + minutes{*mi} + seconds{*s};
  return Timestamp{local - offset};
}

std::string format_duration(const Duration& d) {
  const std::string n = std::to_string(d.amount);
  const bool one = d.amount == 1;
  switch (d.unit) {
    case Duration::Unit::kHours: return n + "h";
    case Duration::Unit::kWorkingHours: return n + (one ? " working-hour" : " working-hours");
    case Duration::Unit::kDays: return n + (one ? " day" : " days");
    case Duration::Unit::kWorkingDays: return n + (one ? " working-day" : " working-days");
  }
  return n + " (unknown unit)";
}

Result<Duration> parse_duration(std::string_view text) {
  const auto bad = [&](std::string_view why) -> Result<Duration> {
    return fail(ErrorCode::kInvalidArgument,
                "Expected a duration like 2h, 4 working-hours, 3 days or 15 working-days" +
                    std::string(why) + ", but got '" + std::string(text) + "'");
  };
  const std::string_view t = trim(text);
  std::size_t pos = 0;
  std::int64_t amount = 0;
  while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
    amount = amount * 10 + (t[pos] - '0');
    if (amount > kMaxDurationAmount) {
      return bad(" of at most " + std::to_string(kMaxDurationAmount));
    }
    ++pos;
  }
  if (pos == 0) return bad("");
  const std::string_view unit = trim(t.substr(pos));

  struct UnitName {
    std::string_view name;
    Duration::Unit unit;
  };
  static constexpr UnitName kUnits[] = {
      {"h", Duration::Unit::kHours},
      {"hour", Duration::Unit::kHours},
      {"hours", Duration::Unit::kHours},
      {"working-hour", Duration::Unit::kWorkingHours},
      {"working-hours", Duration::Unit::kWorkingHours},
      {"d", Duration::Unit::kDays},
      {"day", Duration::Unit::kDays},
      {"days", Duration::Unit::kDays},
      {"working-day", Duration::Unit::kWorkingDays},
      {"working-days", Duration::Unit::kWorkingDays},
  };
  for (const UnitName& u : kUnits) {
    if (unit == u.name) return Duration{amount, u.unit};
  }
  return bad("");
}

Timestamp SystemClock::now() const { return floor<seconds>(system_clock::now()); }

}  // namespace escalator
