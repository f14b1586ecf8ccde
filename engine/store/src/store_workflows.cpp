#include "store_workflows.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "rocks_support.hpp"
#include "store_versions.hpp"

namespace escalator {

std::string_view to_string(WorkflowChange::Kind kind) {
  switch (kind) {
    case WorkflowChange::Kind::kPublished: return "published";
    case WorkflowChange::Kind::kRetired: return "retired";
    case WorkflowChange::Kind::kReinstated: return "reinstated";
  }
  return "published";
}

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kChangePrefix = "change/";
constexpr const char* kPlace = "workflows/change";

WorkflowChange::Kind kind_named(const std::string& name) {
  for (auto kind : {WorkflowChange::Kind::kPublished, WorkflowChange::Kind::kRetired,
                    WorkflowChange::Kind::kReinstated}) {
    if (to_string(kind) == name) return kind;
  }
  throw std::invalid_argument("kind '" + name + "' is none of published, retired, reinstated");
}

Result<WorkflowChange> read_change(const std::string& value, const std::string& where) {
  return store_versions::from_json<WorkflowChange>(value, where, [](const Json& j, WorkflowChange& change) {
    change.number = j.at("number").get<std::uint64_t>();
    change.kind = kind_named(j.at("kind").get<std::string>());
    change.at = store_versions::time_at(j, "at");
    change.workflow_id = j.at("workflow").get<std::string>();
    change.workflow_version = j.at("version").get<int>();
    if (change.kind == WorkflowChange::Kind::kPublished) {
      change.origin = j.at("origin").get<std::string>();
      change.source = j.at("source").get<std::string>();
      change.document = j.at("document").get<std::string>();
    }
  });
}

}  // namespace

Result<std::vector<WorkflowChange>> StoredWorkflowChanges::list() const {
  return store_versions::read_all<WorkflowChange>(db_, workflows_, kChangePrefix, kPlace, read_change);
}

Result<void> StoredWorkflowChanges::add(const WorkflowChange& change) {
  std::lock_guard lock(adding_);
  auto existing = list();
  if (!existing) return tl::unexpected(existing.error());
  if (change.number != existing->size() + 1) {
    return fail(ErrorCode::kFailedPrecondition, "workflow change " + std::to_string(change.number) +
                                                    ": the next number is " + std::to_string(existing->size() + 1));
  }
  Json j = Json::object();
  j["number"] = change.number;
  j["kind"] = to_string(change.kind);
  j["at"] = format_time(change.at);
  j["workflow"] = change.workflow_id;
  j["version"] = change.workflow_version;
  if (change.kind == WorkflowChange::Kind::kPublished) {
    j["origin"] = change.origin;
    j["source"] = change.source;
    j["document"] = change.document;
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const auto status = db_.Put(sync, workflows_, store_versions::key(kChangePrefix, change.number), j.dump());
  if (!status.ok()) {
    return tl::unexpected(status_error(status, std::string(kPlace) + "/" + std::to_string(change.number)));
  }
  return {};
}

}  // namespace escalator
