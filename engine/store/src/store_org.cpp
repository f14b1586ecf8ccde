#include "store_org.hpp"

#include <rocksdb/write_batch.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "rocks_support.hpp"
#include "store_layout.hpp"
#include "store_versions.hpp"

namespace escalator {
namespace {

namespace layout = store_layout;
using Json = nlohmann::ordered_json;

constexpr std::string_view kImportPrefix = "import/";
constexpr std::string_view kRecordPrefix = "record/";

std::string record_key(const StoredOrgRecord& record) {
  std::string key(kRecordPrefix);
  key += record.key;
  key.push_back('\0');
  layout::put_big_endian(key, record.since);
  return key;
}

constexpr const char* kImportPlace = "org/import";

std::string import_where(std::uint64_t version) { return std::string(kImportPlace) + "/" + std::to_string(version); }

Result<OrgImport> read_import(const std::string& value, const std::string& where) {
  return store_versions::from_json<OrgImport>(value, where, [](const Json& j, OrgImport& import) {
    import.version = j.at("version").get<std::uint64_t>();
    import.imported_at = store_versions::time_at(j, "imported_at");
    import.source = j.at("source").get<std::string>();
    import.name = j.at("name").get<std::string>();
    import.digest = j.at("digest").get<std::string>();
    import.added = j.at("added").get<std::uint64_t>();
    import.changed = j.at("changed").get<std::uint64_t>();
    import.removed = j.at("removed").get<std::uint64_t>();
  });
}

Result<StoredOrgRecord> read_record(std::string_view key, const std::string& value) {
  const std::string printable_key = "org/" + printable(std::string(key));
  // The since is the last 8 bytes (which may hold NULs), after the NUL ending the record's key.
  const bool well_formed = key.size() >= kRecordPrefix.size() + 9 && key[key.size() - 9] == '\0';
  const std::size_t nul = key.size() - 9;
  const auto since = well_formed ? layout::read_big_endian(key.substr(nul + 1)) : std::nullopt;
  if (!since) return fail(ErrorCode::kDataLoss, printable_key + ": the key should end in NUL and 8 bytes");
  return store_versions::from_json<StoredOrgRecord>(value, printable_key, [&](const Json& j, StoredOrgRecord& record) {
    record.key = std::string(key.substr(kRecordPrefix.size(), nul - kRecordPrefix.size()));
    record.since = *since;
    record.until = j.at("until").get<std::uint64_t>();
    record.json = j.at("record").dump();
  });
}

}  // namespace

Result<std::vector<OrgImport>> StoredOrgVersions::imports() const {
  return store_versions::read_all<OrgImport>(db_, org_, kImportPrefix, kImportPlace, read_import);
}

Result<std::vector<StoredOrgRecord>> StoredOrgVersions::records() const {
  std::vector<StoredOrgRecord> records;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), org_));
  for (it->Seek(std::string(kRecordPrefix)); it->Valid() && it->key().starts_with(kRecordPrefix); it->Next()) {
    auto record = read_record(it->key().ToStringView(), it->value().ToString());
    if (!record) return tl::unexpected(record.error());
    records.push_back(std::move(*record));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "org/record"));
  return records;
}

Result<void> StoredOrgVersions::add(const OrgImport& import, std::span<const StoredOrgRecord> records) {
  std::lock_guard lock(adding_);
  auto existing = imports();
  if (!existing) return tl::unexpected(existing.error());
  if (import.version != existing->size() + 1) {
    return fail(ErrorCode::kFailedPrecondition, "org directory import " + std::to_string(import.version) +
                                                    ": the next version is " + std::to_string(existing->size() + 1));
  }
  rocksdb::WriteBatch batch;
  for (const StoredOrgRecord& record : records) {
    Json value = Json::object();
    value["until"] = record.until;
    value["record"] = Json::parse(record.json, nullptr, false);
    if (value["record"].is_discarded()) {
      return fail(ErrorCode::kInvalidArgument, "org record " + record.key + ": not JSON");
    }
    batch.Put(org_, record_key(record), value.dump());
  }
  Json j = Json::object();
  j["version"] = import.version;
  j["imported_at"] = format_time(import.imported_at);
  j["source"] = import.source;
  j["name"] = import.name;
  j["digest"] = import.digest;
  j["added"] = import.added;
  j["changed"] = import.changed;
  j["removed"] = import.removed;
  batch.Put(org_, store_versions::key(kImportPrefix, import.version), j.dump());
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const auto status = db_.Write(sync, &batch);
  if (!status.ok()) return tl::unexpected(status_error(status, import_where(import.version)));
  return {};
}

}  // namespace escalator
