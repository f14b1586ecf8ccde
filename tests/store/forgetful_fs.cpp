#include "forgetful_fs.hpp"

#include <filesystem>

namespace escalator::testing {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

// Writes through to the real file while the power is on, and tells the file
// system how much was written and how much of it synced.
class TrackedFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  TrackedFile(std::unique_ptr<rocksdb::FSWritableFile> real, ForgetfulFileSystem& fs, std::string name)
      : FSWritableFileOwnerWrapper(std::move(real)), fs_(fs), name_(std::move(name)) {}

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* debug) override {
    if (!fs_.powered()) return IOStatus::OK();
    fs_.appended(name_, data.size());
    return target()->Append(data, options, debug);
  }
  IOStatus Append(const Slice& data, const IOOptions& options, const rocksdb::DataVerificationInfo& info,
                  IODebugContext* debug) override {
    if (!fs_.powered()) return IOStatus::OK();
    fs_.appended(name_, data.size());
    return target()->Append(data, options, info, debug);
  }
  IOStatus PositionedAppend(const Slice& data, std::uint64_t offset, const IOOptions& options,
                            IODebugContext* debug) override {
    if (!fs_.powered()) return IOStatus::OK();
    fs_.appended(name_, data.size());
    return target()->PositionedAppend(data, offset, options, debug);
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* debug) override { return sync(options, debug); }
  IOStatus Fsync(const IOOptions& options, IODebugContext* debug) override { return sync(options, debug); }
  IOStatus Close(const IOOptions& options, IODebugContext* debug) override {
    return target()->Close(options, debug);  // closing is not syncing
  }

 private:
  IOStatus sync(const IOOptions& options, IODebugContext* debug) {
    if (!fs_.powered()) return IOStatus::OK();
    auto status = target()->Fsync(options, debug);
    if (status.ok()) fs_.synced(name_);
    return status;
  }

  ForgetfulFileSystem& fs_;
  std::string name_;
};

}  // namespace

ForgetfulFileSystem::ForgetfulFileSystem(std::shared_ptr<rocksdb::FileSystem> real)
    : FileSystemWrapper(std::move(real)) {}

IOStatus ForgetfulFileSystem::NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                              std::unique_ptr<rocksdb::FSWritableFile>* file,
                                              IODebugContext* debug) {
  std::unique_ptr<rocksdb::FSWritableFile> real;
  auto status = target()->NewWritableFile(name, options, &real, debug);
  if (!status.ok()) return status;
  {
    std::lock_guard lock(mutex_);
    files_[name] = Lengths{};
  }
  *file = std::make_unique<TrackedFile>(std::move(real), *this, name);
  return status;
}

IOStatus ForgetfulFileSystem::ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                                 std::unique_ptr<rocksdb::FSWritableFile>* file,
                                                 IODebugContext* debug) {
  std::unique_ptr<rocksdb::FSWritableFile> real;
  auto status = target()->ReopenWritableFile(name, options, &real, debug);
  if (!status.ok()) return status;
  {
    std::lock_guard lock(mutex_);
    if (!files_.contains(name)) {
      std::error_code error;
      const auto size = std::filesystem::file_size(name, error);
      files_[name] = Lengths{error ? 0 : size, error ? 0 : size};
    }
  }
  *file = std::make_unique<TrackedFile>(std::move(real), *this, name);
  return status;
}

IOStatus ForgetfulFileSystem::RenameFile(const std::string& from, const std::string& to, const IOOptions& options,
                                         IODebugContext* debug) {
  if (!powered_) return IOStatus::OK();
  auto status = target()->RenameFile(from, to, options, debug);
  if (status.ok()) {
    std::lock_guard lock(mutex_);
    if (auto node = files_.extract(from)) {
      node.key() = to;
      files_.insert_or_assign(to, node.mapped());
    }
  }
  return status;
}

IOStatus ForgetfulFileSystem::DeleteFile(const std::string& name, const IOOptions& options, IODebugContext* debug) {
  if (!powered_) return IOStatus::OK();
  {
    std::lock_guard lock(mutex_);
    files_.erase(name);
  }
  return target()->DeleteFile(name, options, debug);
}

void ForgetfulFileSystem::appended(const std::string& name, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  files_[name].written += bytes;
}

void ForgetfulFileSystem::synced(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& lengths = files_[name];
  lengths.synced = lengths.written;
}

void ForgetfulFileSystem::forget_unsynced() {
  std::lock_guard lock(mutex_);
  for (const auto& [name, lengths] : files_) {
    std::error_code error;
    if (std::filesystem::exists(name, error)) std::filesystem::resize_file(name, lengths.synced, error);
  }
}

}  // namespace escalator::testing
