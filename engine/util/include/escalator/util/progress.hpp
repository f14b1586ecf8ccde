// How a long operation (an audit, a recount) tells its caller how far it has
// got, for a command line to show on a terminal. Called from the operation's
// own thread, every few thousand records: it should return quickly.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace escalator {

// `what` is being read ("events", "cases"); `done` of them so far, of `total`
// (0 when not known ahead).
using Progress = std::function<void(std::string_view what, std::uint64_t done, std::uint64_t total)>;

// How often an operation reports: every this many records, and at its end.
inline constexpr std::uint64_t kProgressEvery = 4096;

}  // namespace escalator
