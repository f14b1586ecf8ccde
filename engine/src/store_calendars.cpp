#include "store_calendars.hpp"

#include <memory>
#include <nlohmann/json.hpp>

#include "rocks_support.hpp"
#include "store_layout.hpp"

namespace escalator {
namespace {

namespace layout = store_layout;
using Json = nlohmann::ordered_json;

constexpr std::string_view kImportPrefix = "calendar_import/";
constexpr std::string_view kAppliedKey = "calendar_applied";

std::string import_key(std::uint64_t version) {
  std::string key(kImportPrefix);
  layout::put_big_endian(key, version);
  return key;
}

std::string where(std::uint64_t version) { return "meta/calendar_import/" + std::to_string(version); }

Result<CalendarImport> read_import(std::string_view key, const std::string& value) {
  const auto version = layout::read_big_endian(key.substr(kImportPrefix.size()));
  const std::string at = version ? where(*version) : "meta/calendar_import/" + printable(std::string(key));
  if (!version) return fail(ErrorCode::kDataLoss, at + ": the key should end in 8 bytes");
  const Json j = Json::parse(value, nullptr, false);
  CalendarImport import;
  try {
    import.version = j.at("version").get<std::uint64_t>();
    auto imported_at = parse_time(j.at("imported_at").get<std::string>());
    if (!imported_at) throw std::invalid_argument(imported_at.error().message);
    import.imported_at = *imported_at;
    import.source = j.at("source").get<std::string>();
    import.text = j.at("text").get<std::string>();
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDataLoss, at + ": " + (j.is_discarded() ? std::string("not JSON") : e.what()));
  }
  if (import.version != *version) {
    return fail(ErrorCode::kDataLoss, at + ": the record says version " + std::to_string(import.version));
  }
  return import;
}

}  // namespace

Result<std::vector<CalendarImport>> StoredCalendarImports::list() const {
  std::vector<CalendarImport> imports;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), meta_));
  for (it->Seek(std::string(kImportPrefix)); it->Valid() && it->key().starts_with(kImportPrefix); it->Next()) {
    auto import = read_import(it->key().ToStringView(), it->value().ToString());
    if (!import) return tl::unexpected(import.error());
    if (import->version != imports.size() + 1) {
      return fail(ErrorCode::kDataLoss, where(import->version) + ": follows version " +
                                            std::to_string(imports.size()) + "; a version is missing");
    }
    imports.push_back(std::move(*import));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "meta/calendar_import"));
  return imports;
}

Result<void> StoredCalendarImports::add(const CalendarImport& import) {
  std::lock_guard lock(adding_);
  auto existing = list();
  if (!existing) return tl::unexpected(existing.error());
  if (import.version != existing->size() + 1) {
    return fail(ErrorCode::kFailedPrecondition, "calendar import " + std::to_string(import.version) +
                                                    ": the next version is " + std::to_string(existing->size() + 1));
  }
  Json j = Json::object();
  j["version"] = import.version;
  j["imported_at"] = format_time(import.imported_at);
  j["source"] = import.source;
  j["text"] = import.text;
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const auto status = db_.Put(sync, meta_, import_key(import.version), j.dump());
  if (!status.ok()) return tl::unexpected(status_error(status, where(import.version)));
  return {};
}

Result<std::uint64_t> StoredCalendarImports::applied() const {
  std::string bytes;
  const auto status = db_.Get(rocksdb::ReadOptions(), meta_, kAppliedKey, &bytes);
  if (status.IsNotFound()) return std::uint64_t{0};
  if (!status.ok()) return tl::unexpected(status_error(status, "meta/calendar_applied"));
  const auto value = layout::read_big_endian(bytes);
  if (!value) return fail(ErrorCode::kDataLoss, "meta/calendar_applied should be 8 bytes, found " +
                                                    std::to_string(bytes.size()));
  return *value;
}

Result<void> StoredCalendarImports::set_applied(std::uint64_t version) {
  std::string bytes;
  layout::put_big_endian(bytes, version);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const auto status = db_.Put(sync, meta_, kAppliedKey, bytes);
  if (!status.ok()) return tl::unexpected(status_error(status, "meta/calendar_applied"));
  return {};
}

}  // namespace escalator
