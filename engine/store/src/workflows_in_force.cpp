#include "escalator/store/workflows_in_force.hpp"

#include <map>

#include "json_lines.hpp"

namespace escalator {
namespace {

constexpr const char* kShipped = "shipped";
constexpr const char* kUploaded = "uploaded";

std::string change_where(std::uint64_t number) { return "workflows/change/" + std::to_string(number); }

WorkflowChange published(std::uint64_t number, const Workflow& w, const char* origin, Timestamp now) {
  WorkflowChange change;
  change.number = number;
  change.kind = WorkflowChange::Kind::kPublished;
  change.at = now;
  change.workflow_id = w.id;
  change.workflow_version = w.version;
  change.origin = origin;
  change.source = w.source;
  change.document = w.document;
  return change;
}

// Replays the store's changes into a registry; the origin of each id's latest version beside it.
Result<std::map<std::string, std::string>> replay_changes(const std::vector<WorkflowChange>& changes,
                                                         WorkflowRegistry& registry) {
  std::map<std::string, std::string> origin_of_latest;
  for (const WorkflowChange& change : changes) {
    if (change.kind != WorkflowChange::Kind::kPublished) {
      registry.set_retired(change.workflow_id, change.kind == WorkflowChange::Kind::kRetired);
      continue;
    }
    auto read = read_published_workflow(change.document, change.source);
    if (!read.workflow) {
      return fail(ErrorCode::kDataLoss, change_where(change.number) + ": workflow " + change.workflow_id +
                                            " version " + std::to_string(change.workflow_version) +
                                            " no longer reads: " + read.problems.front().text());
    }
    read.workflow->version = change.workflow_version;
    if (read.workflow->id != change.workflow_id) {
      return fail(ErrorCode::kDataLoss, change_where(change.number) + ": the change names workflow " +
                                            change.workflow_id + ", its document " + read.workflow->id);
    }
    if (auto restored = registry.restore(std::move(*read.workflow)); !restored) {
      return fail(ErrorCode::kDataLoss, change_where(change.number) + ": " + restored.error().message);
    }
    origin_of_latest[change.workflow_id] = change.origin;
  }
  return origin_of_latest;
}

}  // namespace

Result<WorkflowsInForce> workflows_in_force(ImportStore& store, const WorkflowCatalog& given, Timestamp now,
                                            bool record) {
  auto changes = store.workflow_changes();
  if (!changes) return tl::unexpected(changes.error());
  WorkflowsInForce in_force{std::make_shared<WorkflowRegistry>(), {}};
  auto origin_of_latest = replay_changes(*changes, *in_force.registry);
  if (!origin_of_latest) return tl::unexpected(origin_of_latest.error());

  std::map<std::string, std::vector<const Workflow*>> given_by_id;
  for (const Workflow* w : given.every_version()) given_by_id[w->id].push_back(w);
  std::uint64_t next = changes->size() + 1;
  for (const auto& [id, versions] : given_by_id) {
    const Workflow* stored = in_force.registry->latest_of(id);
    std::vector<Workflow> taken;
    if (!stored) {
      for (const Workflow* w : versions) taken.push_back(*w);
    } else if (stored->content_hash == versions.back()->content_hash) {
      continue;
    } else if ((*origin_of_latest)[id] == kShipped) {
      taken.push_back(*versions.back());
      taken.back().version = stored->version + 1;
    } else {
      in_force.notes.push_back("workflow " + id + ": " + versions.back()->source + " differs from version " +
                               std::to_string(stored->version) + ", which an administrator uploaded; version " +
                               std::to_string(stored->version) + " stays in force");
      continue;
    }
    for (Workflow& w : taken) {
      // A workflow built in code has no document to rebuild it from: it is
      // given again at every open, so it is taken without being recorded.
      if (record && !w.document.empty()) {
        auto added = store.add_workflow_change(published(next, w, kShipped, now));
        if (added) {
          ++next;
        } else if (added.error().code == ErrorCode::kFailedPrecondition) {
          // A store that keeps no workflow changes, or is opened to read:
          // taken as given, numbered as recording them would have.
          record = false;
        } else {
          return tl::unexpected(added.error());
        }
      }
      if (auto restored = in_force.registry->restore(std::move(w)); !restored) {
        return tl::unexpected(restored.error());
      }
    }
  }
  return in_force;
}

Result<WorkflowUpload> upload_workflow(ImportStore& store, WorkflowRegistry& registry, std::string_view text,
                                       const std::string& source, const OrgDirectory& directory, Timestamp now) {
  WorkflowUpload upload;
  auto read = read_workflow(text, source, directory);
  if (!read.workflow) {
    upload.problems = std::move(read.problems);
    return upload;
  }
  Workflow& w = *read.workflow;
  if (auto conflict = registry.conflict_of(w)) {
    upload.problems.push_back({source, line_of(json_pointer_lines(text), "/takes"), "/takes", *conflict});
    return upload;
  }
  const Workflow* latest = registry.latest_of(w.id);
  if (latest && latest->content_hash == w.content_hash) {
    upload.workflow = latest;
    return upload;
  }
  w.version = latest ? latest->version + 1 : 1;
  auto changes = store.workflow_changes();
  if (!changes) return tl::unexpected(changes.error());
  if (auto added = store.add_workflow_change(published(changes->size() + 1, w, kUploaded, now)); !added) {
    return tl::unexpected(added.error());
  }
  const std::string id = w.id;
  if (auto restored = registry.restore(std::move(w)); !restored) return tl::unexpected(restored.error());
  upload.workflow = registry.latest_of(id);
  upload.changed = true;
  return upload;
}

Result<bool> set_workflow_retired(ImportStore& store, WorkflowRegistry& registry, const std::string& id,
                                  bool retired, Timestamp now) {
  const Workflow* latest = registry.latest_of(id);
  if (!latest) return fail(ErrorCode::kNotFound, "No workflow " + id + " was ever published");
  if (registry.retired(id) == retired) return false;
  if (!retired) {
    if (auto conflict = registry.conflict_of(*latest)) {
      return fail(ErrorCode::kFailedPrecondition, "Workflow " + id + " cannot be reinstated: it " + *conflict);
    }
  }
  auto changes = store.workflow_changes();
  if (!changes) return tl::unexpected(changes.error());
  WorkflowChange change;
  change.number = changes->size() + 1;
  change.kind = retired ? WorkflowChange::Kind::kRetired : WorkflowChange::Kind::kReinstated;
  change.at = now;
  change.workflow_id = id;
  change.workflow_version = latest->version;
  if (auto added = store.add_workflow_change(change); !added) return tl::unexpected(added.error());
  registry.set_retired(id, retired);
  return true;
}

}  // namespace escalator
