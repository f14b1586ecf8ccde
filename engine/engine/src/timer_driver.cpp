#include "escalator/engine/timer_driver.hpp"

#include "boundary.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace escalator {

struct TimerDriver::Impl {
  DueTimers& timers;
  TimerDriverOptions options;
  std::mutex mutex;
  std::condition_variable_any woken;
  bool wake_requested = false;
  std::atomic<std::uint64_t> rounds{0};
  std::atomic<std::uint64_t> fired{0};
  std::jthread thread;  // last: stopped and joined before the members it uses go

  Impl(DueTimers& t, TimerDriverOptions o) : timers(t), options(std::move(o)) {}

  void log(LogLevel level, std::string_view message, std::string_view detail) noexcept {
    log_or_lose(options.logger.get(), [&] { return LogRecord{level, message, "", {{"detail", detail}}}; });
  }

  // One round: every timer due now. Whether it moved anything, so that a timer
  // refused again and again (a workflow missing from the catalog) is retried
  // at the driver's pace, not in a tight loop.
  bool fire_round() {
    const auto decided = timers.fire_due_timers();
    ++rounds;
    bool progressed = false;
    for (const auto& d : decided) {
      if (d && !d->duplicate) {
        ++fired;
        progressed = true;
      } else if (!d) {
        log(LogLevel::kWarn, "timer not fired", d.error().message);
      }
    }
    if (options.after_round) {
      const auto told = without_throwing("after_round", [&]() -> Result<void> {
        options.after_round(decided);
        return {};
      });
      if (!told) log(LogLevel::kError, "after_round failed", told.error().message);
    }
    return progressed;
  }

  void run(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
      std::chrono::milliseconds sleep = options.look_every;
      bool again = false;  // a round moved something: more may have come due meanwhile
      const auto looked = without_throwing("A timer round", [&]() -> Result<void> {
        const Timestamp now = options.clock->now();
        const auto next = timers.next_timer();
        if (next && *next <= now) {
          again = fire_round();
        } else if (next && *next - now < std::chrono::duration_cast<std::chrono::seconds>(sleep)) {
          sleep = *next - now;  // compared in seconds first: "never due" is far beyond milliseconds
        }
        return {};
      });
      if (!looked) log(LogLevel::kError, "timer round failed", looked.error().message);
      if (again) continue;
      std::unique_lock lock(mutex);
      woken.wait_for(lock, stop, sleep, [&] { return wake_requested; });
      wake_requested = false;
    }
  }
};

Result<std::unique_ptr<TimerDriver>> TimerDriver::start(DueTimers& timers, TimerDriverOptions options) {
  if (!options.clock) return fail(ErrorCode::kInvalidArgument, "clock: the timer driver needs the engine's clock");
  if (options.look_every <= std::chrono::milliseconds{0}) {
    return fail(ErrorCode::kInvalidArgument,
                "look_every: must be positive, not " + std::to_string(options.look_every.count()) + " ms");
  }
  auto impl = std::make_unique<Impl>(timers, std::move(options));
  Impl* running = impl.get();
  impl->thread = std::jthread([running](std::stop_token stop) { running->run(stop); });
  return std::unique_ptr<TimerDriver>(new TimerDriver(std::move(impl)));
}

TimerDriver::TimerDriver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TimerDriver::~TimerDriver() {
  impl_->thread.request_stop();
  impl_->thread.join();
}

void TimerDriver::wake() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->wake_requested = true;
  }
  impl_->woken.notify_all();
}

std::uint64_t TimerDriver::rounds() const { return impl_->rounds.load(); }
std::uint64_t TimerDriver::fired() const { return impl_->fired.load(); }

}  // namespace escalator
