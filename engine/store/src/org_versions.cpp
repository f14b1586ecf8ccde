// Versions of the org directory in a store (org_versions.hpp): a file split
// into records under keys that name them, the difference from the newest
// version stored as the next one, and any version rebuilt from its records.
#include "escalator/store/org_versions.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "canonical_json.hpp"
#include "embedded.hpp"
#include "json_file.hpp"
#include "escalator/org/org_directory.hpp"
#include "org_csv.hpp"
#include "sha256.hpp"

namespace escalator {
namespace {

using Json = nlohmann::json;
using Records = std::map<std::string, std::string>;  // key -> canonical JSON

std::string canonical(const Json& value) {
  // The file was read as a directory first: only strings, all UTF-8.
  return canonical_json(value).value_or(value.dump());
}

// The records of a directory file the reader has accepted. The keys are
// unique in such a file: ids are, a place's records begin on different days,
// and two address entries alike in text and start would be in force at once.
Records records_of(const Json& doc) {
  Records records;
  records["name"] = canonical(doc["name"]);
  for (const auto& [id, role] : doc["roles"].items()) {
    Json with_id = role;
    with_id["id"] = id;
    records["role/" + id] = canonical(with_id);
  }
  for (const Json& place : doc["places"]) {
    records["place/" + place["id"].get<std::string>() + "/" + place.value("valid_from", "")] =
        canonical(place);
  }
  for (const Json& unit : doc.value("units", Json::array())) {
    records["unit/" + unit["id"].get<std::string>()] = canonical(unit);
  }
  for (const Json& person : doc.value("people", Json::array())) {
    records["person/" + person["id"].get<std::string>()] = canonical(person);
  }
  for (const Json& entry : doc.value("addresses", Json::array())) {
    records["address/" + entry.value("valid_from", "") + "/" +
            entry["address"].get<std::string>()] = canonical(entry);
  }
  return records;
}

// The directory file the records make, each list in key order.
Json document_of(const Records& records) {
  Json doc = {{"name", ""},
              {"roles", Json::object()},
              {"places", Json::array()},
              {"units", Json::array()},
              {"people", Json::array()},
              {"addresses", Json::array()}};
  for (const auto& [key, text] : records) {
    Json record = Json::parse(text);
    const std::string kind = key.substr(0, key.find('/'));
    if (kind == "name") {
      doc["name"] = std::move(record);
    } else if (kind == "role") {
      const std::string id = record["id"].get<std::string>();
      record.erase("id");
      doc["roles"][id] = std::move(record);
    } else if (kind == "place" || kind == "unit" || kind == "address") {
      doc[kind == "address" ? "addresses" : kind + "s"].push_back(std::move(record));
    } else if (kind == "person") {
      doc["people"].push_back(std::move(record));
    }
  }
  return doc;
}

std::string digest_of(const Records& records) {
  return to_hex(sha256(canonical(document_of(records))));
}

bool holds_at(const StoredOrgRecord& record, std::uint64_t version) {
  return record.since <= version && (record.until == 0 || record.until > version);
}

}  // namespace

Result<OrgImportResult> import_org_directory(ImportStore& store, std::string_view text,
                                             const std::string& source, Timestamp now,
                                             OrgFileFormat format) {
  OrgImportResult result;
  auto imports = store.org_imports();
  if (!imports) return tl::unexpected(imports.error());
  result.in_force = imports->size();
  const auto [read, json, converted] = read_org_file(text, source, format);
  result.converted_from_gb18030 = converted;
  if (!read.directory) {
    result.problems = read.problems;
    return result;
  }
  auto stored = store.org_records();
  if (!stored) return tl::unexpected(stored.error());
  const std::uint64_t version = imports->size() + 1;

  std::map<std::string, const StoredOrgRecord*> current;
  for (const StoredOrgRecord& record : *stored) {
    if (record.until == 0) current[record.key] = &record;
  }
  const Records wanted = records_of(Json::parse(json));
  OrgImport import{version, now, source, read.directory->name(), digest_of(wanted), 0, 0, 0};
  std::vector<StoredOrgRecord> writes;
  for (const auto& [key, json] : wanted) {
    const auto it = current.find(key);
    if (it != current.end() && it->second->json == json) continue;
    if (it != current.end()) {
      StoredOrgRecord ended = *it->second;
      ended.until = version;
      writes.push_back(std::move(ended));
      ++import.changed;
    } else {
      ++import.added;
    }
    writes.push_back({key, version, 0, json});
  }
  for (const auto& [key, record] : current) {
    if (wanted.contains(key)) continue;
    StoredOrgRecord ended = *record;
    ended.until = version;
    writes.push_back(std::move(ended));
    ++import.removed;
  }
  if (writes.empty() && !imports->empty()) return result;
  if (auto added = store.add_org_import(import, writes); !added)
    return tl::unexpected(added.error());
  result.stored = std::move(import);
  result.in_force = version;
  return result;
}

namespace {

// Version `version` (0: the newest) as the directory file its records rebuild, checked against its
// digest.
Result<std::pair<std::uint64_t, Json>> stored_document(const ImportStore& store,
                                                       std::uint64_t version) {
  auto imports = store.org_imports();
  if (!imports) return tl::unexpected(imports.error());
  if (imports->empty()) return fail(ErrorCode::kNotFound, "the store holds no org directory");
  if (version == 0) version = imports->size();
  if (version > imports->size()) {
    return fail(ErrorCode::kNotFound, "the store holds org directory versions 1 to " +
                                          std::to_string(imports->size()) + ", not " +
                                          std::to_string(version));
  }
  auto stored = store.org_records();
  if (!stored) return tl::unexpected(stored.error());
  Records records;
  for (const StoredOrgRecord& record : *stored) {
    if (holds_at(record, version)) records[record.key] = record.json;
  }
  const OrgImport& import = (*imports)[version - 1];
  if (digest_of(records) != import.digest) {
    return fail(ErrorCode::kDataLoss,
                "org directory version " + std::to_string(version) +
                    ": its records do not rebuild what was imported (digest " + import.digest +
                    ")");
  }
  return std::make_pair(version, document_of(records));
}

}  // namespace

Result<std::shared_ptr<const OrgChart>> stored_org_directory(const ImportStore& store,
                                                             std::uint64_t version) {
  auto document = stored_document(store, version);
  if (!document) return tl::unexpected(document.error());
  const std::string where = "org directory version " + std::to_string(document->first);
  const OrgFile read = read_org_directory(document->second.dump(), where, document->first);
  if (!read.directory) {
    return fail(ErrorCode::kDataLoss,
                read.problems.empty() ? where + ": cannot be read" : read.problems[0].text());
  }
  return read.directory;
}

Result<std::string> stored_org_directory_file(const ImportStore& store, std::uint64_t version) {
  auto document = stored_document(store, version);
  if (!document) return tl::unexpected(document.error());
  return document->second.dump(2);
}

namespace {

Error first_file_problems(const std::filesystem::path& file, const std::vector<FileProblem>& problems) {
  std::string message = "org_file " + file.string() + " has problems:";
  for (const auto& p : problems) message += "\n" + p.text();
  return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

}  // namespace

Result<std::shared_ptr<const OrgChart>> directory_in_force(ImportStore& store, Timestamp now,
                                                           const std::filesystem::path& first_file) {
  auto newest = stored_org_directory(store);
  if (newest || newest.error().code != ErrorCode::kNotFound) return newest;
  std::string text(embedded::sample_org_directory());
  if (!first_file.empty()) {
    auto read = read_text_file(first_file.string());
    if (!read) return tl::unexpected(first_file_problems(first_file, {{first_file.string(), 1, "", "cannot be read"}}));
    text = std::move(*read);
  }
  const OrgFileFormat format = first_file.empty() ? OrgFileFormat::kJson : org_file_format(first_file);
  auto imported = import_org_directory(store, text, first_file.empty() ? "sample" : first_file.string(), now, format);
  if (!imported && imported.error().code == ErrorCode::kFailedPrecondition) {
    if (first_file.empty()) return sample_directory();
    OrgFile unversioned = read_org_directory(text, first_file.string(), format);
    if (!unversioned.directory) return tl::unexpected(first_file_problems(first_file, unversioned.problems));
    return unversioned.directory;
  }
  if (!imported) return tl::unexpected(imported.error());
  if (!imported->problems.empty()) return tl::unexpected(first_file_problems(first_file, imported->problems));
  return stored_org_directory(store);
}

}  // namespace escalator
