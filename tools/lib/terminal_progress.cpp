#include "terminal_progress.hpp"

#include <unistd.h>

#include <iostream>

namespace escalator::tools {

std::string grouped(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

TerminalProgress::TerminalProgress(std::string label, bool shown, std::ostream* out)
    : label_(std::move(label)), shown_(shown), out_(out != nullptr ? *out : std::cerr) {}

TerminalProgress::~TerminalProgress() { clear(); }

void TerminalProgress::clear() {
  if (written_) out_ << "\r\x1b[K" << std::flush;  // the line cleared for what the command prints next
  written_ = false;
}

void TerminalProgress::update(std::string_view what, std::uint64_t done, std::uint64_t total) {
  if (!shown_ || (written_ && done == last_done_ && total == last_total_)) return;
  const auto now = std::chrono::steady_clock::now();
  if (written_ && now - last_ < std::chrono::milliseconds(100) && done != total) return;
  last_ = now;
  last_done_ = done;
  last_total_ = total;
  written_ = true;
  out_ << "\r\x1b[K" << label_ << ": " << grouped(done);
  if (total > 0) out_ << " of " << grouped(total);
  out_ << " " << what;
  if (total > 0) out_ << " (" << done * 100 / total << "%)";
  out_ << std::flush;
}

Progress TerminalProgress::callback() {
  return [this](std::string_view what, std::uint64_t done, std::uint64_t total) { update(what, done, total); };
}

bool TerminalProgress::on_a_terminal() { return isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1; }

}  // namespace escalator::tools
