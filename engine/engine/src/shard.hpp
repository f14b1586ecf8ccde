// The engine's shards: where cases are cached and where the commands of a case
// whose write is with the store wait their turn (docs/decisions.md, "Deciding
// on the submitting thread"). Private to engine.cpp.
#pragma once

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <deque>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "case_record.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/model/command.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

using Strand = boost::asio::strand<boost::asio::thread_pool::executor_type>;

// A submitted command and how its caller is answered.
struct Submitted {
  Command command;
  Engine::Answer answer;
  // A merge waiting in its primary's line keeps its own case's turn, so the
  // duplicate's later commands wait behind it (docs/history.md, "Merging").
  bool holds_own_case = false;
  // A new case's workflow, chosen once at intake (Engine::Impl::admit).
  const Workflow* workflow = nullptr;
};

// Cases are spread over shards by a hash of their id. A command is decided on
// the thread that submits it, under its shard's mutex, which also lets readers
// on other threads see a consistent case. A case whose write is with the
// store is busy: its next commands wait in order, so each is decided on the
// case as stored; other cases go on. When the write is done, the waiting
// commands are decided in order on the shard's strand (`writing` false), and
// any new command queues behind them.
struct Shard {
  explicit Shard(std::optional<Strand> s) : strand(std::move(s)) {}
  std::mutex mutex;
  std::unordered_map<std::string, CaseRecord> cases;  // a cache of the store
  struct Busy {
    bool writing = true;
    std::deque<std::shared_ptr<Submitted>> waiting;
  };
  std::unordered_map<std::string, Busy> busy;
  std::optional<Strand> strand;

  // The cache is bounded (limits.cached_cases): the least recently used cases
  // leave memory, never the store.
  std::list<std::string> recent;  // most recently used first
  std::unordered_map<std::string, std::list<std::string>::iterator> place_in_recent;

  void touch(const std::string& case_id) {
    if (auto at = place_in_recent.find(case_id); at != place_in_recent.end()) {
      recent.splice(recent.begin(), recent, at->second);
    } else {
      place_in_recent.emplace(case_id, recent.insert(recent.begin(), case_id));
    }
  }
  // Drops the least recently used cases beyond `capacity`, except busy ones.
  // The mutex must be held and no CaseRecord* of this shard be in use.
  void trim(std::size_t capacity) {
    for (auto it = recent.end(); cases.size() > capacity && it != recent.begin();) {
      --it;
      if (busy.contains(*it)) continue;
      cases.erase(*it);
      place_in_recent.erase(*it);
      it = recent.erase(it);
    }
  }
};

}  // namespace escalator
