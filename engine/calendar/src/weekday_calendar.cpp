#include <chrono>
#include <memory>
#include <string>

#include "escalator/calendar/calendar.hpp"

namespace escalator {
namespace {

class WeekdayCalendar final : public Calendar {
 public:
  bool is_working_day(std::chrono::sys_days day) const override {
    const std::chrono::weekday wd{day};
    return wd != std::chrono::Saturday && wd != std::chrono::Sunday;
  }
  std::string version() const override { return "weekdays"; }
};

}  // namespace

std::shared_ptr<const Calendar> weekday_calendar() { return std::make_shared<const WeekdayCalendar>(); }

}  // namespace escalator
