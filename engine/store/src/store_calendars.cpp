#include "store_calendars.hpp"

#include <memory>
#include <nlohmann/json.hpp>

#include "rocks_support.hpp"
#include "store_layout.hpp"
#include "store_versions.hpp"

namespace escalator {
namespace {

namespace layout = store_layout;
using Json = nlohmann::ordered_json;

constexpr std::string_view kImportPrefix = "calendar_import/";
constexpr std::string_view kAppliedKey = "calendar_applied";

constexpr const char* kPlace = "meta/calendar_import";

Result<CalendarImport> read_import(const std::string& value, const std::string& where) {
  return store_versions::from_json<CalendarImport>(value, where, [](const Json& j, CalendarImport& import) {
    import.version = j.at("version").get<std::uint64_t>();
    import.imported_at = store_versions::time_at(j, "imported_at");
    import.source = j.at("source").get<std::string>();
    import.text = j.at("text").get<std::string>();
  });
}

}  // namespace

Result<std::vector<CalendarImport>> StoredCalendarImports::list() const {
  return store_versions::read_all<CalendarImport>(db_, meta_, kImportPrefix, kPlace, read_import);
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
  const auto status = db_.Put(sync, meta_, store_versions::key(kImportPrefix, import.version), j.dump());
  if (!status.ok()) {
    return tl::unexpected(status_error(status, std::string(kPlace) + "/" + std::to_string(import.version)));
  }
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
