// What the store tests share: a directory that removes itself, a resident's
// leak report, a case's commands to closure, raw access to the RocksDB under
// a store for tampering, and the check that a stored case is whole.
#pragma once

#include <rocksdb/db.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "escalator/engine.hpp"

namespace escalator::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

cmd::Open leak_report();
// After Open: the commands that take a case to Closed.
std::vector<CommandPayload> to_closure();

// The store's RocksDB, opened directly with every column family.
class RawStore {
 public:
  explicit RawStore(const std::filesystem::path& path);
  ~RawStore();
  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* family(std::string_view name);
  std::vector<std::pair<std::string, std::string>> all(std::string_view family);

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<std::string> names_;
};

// Empty when the stored case is whole: events 1..n, the snapshot at version
// n and equal to the replay of its events. Otherwise what is wrong.
std::string wholeness_problem(const StoredCase& stored);

}  // namespace escalator::testing
