// A RocksDB file system that models a power cut: it remembers how much of
// each file was synced, and after cut_power() nothing reaches the disk;
// forget_unsynced() then truncates every file to what was synced, which is
// what a machine that lost power would find on restart.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace escalator::testing {

class ForgetfulFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit ForgetfulFileSystem(std::shared_ptr<rocksdb::FileSystem> real = rocksdb::FileSystem::Default());
  const char* Name() const override { return "ForgetfulFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override;

  // From now on writes, syncs, renames and deletions are dropped.
  void cut_power() { powered_ = false; }
  bool powered() const { return powered_; }
  // Truncates every file written since this file system was made to its
  // synced length. Call after the store is closed.
  void forget_unsynced();

  // Called by the files this file system hands out.
  void appended(const std::string& name, std::uint64_t bytes);
  void synced(const std::string& name);

 private:
  struct Lengths {
    std::uint64_t written = 0;
    std::uint64_t synced = 0;
  };
  std::atomic<bool> powered_{true};
  std::mutex mutex_;
  std::map<std::string, Lengths> files_;
};

}  // namespace escalator::testing
