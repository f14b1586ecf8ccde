// What Engine::submit answers with when a command is decided: the case's
// version and state after it and the events it added. A plain value, safe to
// copy between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"

namespace escalator {

struct Decision {
  std::string case_id;
  std::uint64_t version = 0;  // the case's version after the command
  LifecycleState state = LifecycleState::kNew;
  std::vector<Event> events;  // the events this command added, in order
  // The idempotency key was seen: this is the first decision again, with the
  // version and state the case had right after it, not the case's current ones.
  bool duplicate = false;
};

}  // namespace escalator
