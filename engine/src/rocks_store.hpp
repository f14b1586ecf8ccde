// The durable store's opening with a RocksDB Env of the caller's choosing:
// tests put a file system under it that forgets what was never synced.
// Everyone else calls open_durable_store() (store.hpp).
#pragma once

#include <memory>

#include "escalator/store.hpp"

namespace rocksdb {
class Env;
}

namespace escalator {

// `env` null: RocksDB's default. The store does not own `env`, which must
// outlive it.
[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_rocks_store(const DurableStoreOptions& options,
                                                                  rocksdb::Env* env);

}  // namespace escalator
