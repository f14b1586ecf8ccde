// A long command's progress on the terminal: one line on standard error,
// rewritten in place at most ten times a second and cleared at the end. When
// standard output is not a terminal (a pipe, a file, a script's capture) it
// shows nothing, so what a script reads is never mixed with it.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "escalator/util/progress.hpp"

namespace escalator::tools {

class TerminalProgress {
 public:
  // `label` begins the line ("audit"). `shown` false: nothing is written.
  explicit TerminalProgress(std::string label, bool shown = on_a_terminal(), std::ostream* out = nullptr);
  ~TerminalProgress();
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // "audit: 12,288 events", "stats: 4,096 of 60,000 cases (6%)".
  void update(std::string_view what, std::uint64_t done, std::uint64_t total);
  // Takes the line away, so that the command can print a line of its own;
  // the next update() writes it again.
  void clear();
  // update() as the engine's Progress, for audit_store and recount.
  Progress callback();

  // Whether standard output and standard error are both a terminal.
  static bool on_a_terminal();

 private:
  std::string label_;
  bool shown_;
  std::ostream& out_;
  bool written_ = false;
  std::chrono::steady_clock::time_point last_{};
  std::uint64_t last_done_ = 0;  // what the line says now
  std::uint64_t last_total_ = 0;
};

// 12345678 as "12,345,678".
std::string grouped(std::uint64_t n);

}  // namespace escalator::tools
