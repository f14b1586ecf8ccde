// Writing access records off the I/O threads (docs/access.md, "The access
// log"): a queue of records with the answers that wait for them, and one
// thread that writes whatever has queued in one append (one synced write),
// then lets those answers go. Readers on many connections so share a sync,
// and no I/O thread waits for one.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "escalator/engine/engine.hpp"

namespace escalator::http {

class AccessRecorder {
 public:
  explicit AccessRecorder(Engine& engine);
  // Writes what is queued, lets its answers go, and stops.
  ~AccessRecorder();
  AccessRecorder(const AccessRecorder&) = delete;
  AccessRecorder& operator=(const AccessRecorder&) = delete;

  // `then(true)` once the records are on disk, `then(false)` when they could
  // not be written; on the recorder's thread.
  void record(std::vector<AccessRecord> records, std::function<void(bool)> then);

 private:
  struct Waiting {
    std::vector<AccessRecord> records;
    std::function<void(bool)> then;
  };
  void run();

  Engine& engine_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::vector<Waiting> waiting_;  // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  std::thread thread_;            // last: it starts once the members above exist
};

}  // namespace escalator::http
