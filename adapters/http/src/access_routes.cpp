// The access log through the service (docs/access.md, "The access log"):
// recording a key's reads of personal data in clear, and GET /v1/access-log.
#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {
namespace {

// The personal fields of the case that hold something, as an answer names them.
std::vector<std::string> personal_fields(const CaseState& k) {
  std::vector<std::string> fields;
  if (!k.reporter.name.empty()) fields.emplace_back("reporter.name");
  if (!k.reporter.phone.empty()) fields.emplace_back("reporter.phone");
  if (!k.reporter.account.empty()) fields.emplace_back("reporter.account");
  if (!k.location.address.empty()) fields.emplace_back("location.address");
  if (!k.content.empty()) fields.emplace_back("content");
  return fields;
}

constexpr std::size_t kRecordsPerPage = 100, kMostRecordsPerPage = 1000;

}  // namespace

AccessRecorder::AccessRecorder(Engine& engine) : engine_(engine), thread_([this] { run(); }) {}

AccessRecorder::~AccessRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

void AccessRecorder::record(std::vector<AccessRecord> records, std::function<void(bool)> then) {
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back({std::move(records), std::move(then)});
  }
  queued_.notify_one();
}

void AccessRecorder::run() {
  pthread_setname_np(pthread_self(), "esc-access");
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, and nothing left to write
    std::vector<Waiting> group;
    group.swap(waiting_);
    lock.unlock();
    std::vector<AccessRecord> all;
    for (auto& w : group) std::move(w.records.begin(), w.records.end(), std::back_inserter(all));
    const bool recorded = engine_.record_access(std::move(all)).has_value();
    for (auto& w : group) w.then(recorded);
    lock.lock();
  }
}

void Routes::answer_once_recorded(const Caller& caller, std::string_view operation,
                                  const std::vector<const CaseState*>& read, Response response, Respond respond) {
  if (!caller.accountable()) return respond(std::move(response));
  std::vector<AccessRecord> records;
  const auto now = engine_.clock().now();
  for (const CaseState* k : read) {
    auto fields = personal_fields(*k);
    if (fields.empty()) continue;  // erased, or never given: nothing personal is read
    AccessRecord record;
    record.at = now;
    record.key = caller.key->id;
    record.holder = caller.key->name;
    record.role = std::string(access::to_string(caller.key->role));
    record.operation = std::string(operation);
    record.case_id = k->id;
    record.fields = std::move(fields);
    record.purpose = caller.purpose;
    record.request_id = caller.request_id;
    records.push_back(std::move(record));
  }
  if (records.empty()) return respond(std::move(response));
  {
    std::lock_guard lock(recorder_mutex_);
    if (!recorder_) recorder_ = std::make_unique<AccessRecorder>(engine_);
  }
  recorder_->record(std::move(records), [response = std::move(response), respond = std::move(respond)](bool recorded) mutable {
    // Personal data is never shown without the record of its showing.
    if (recorded) return respond(std::move(response));
    respond(problem_response({ProblemKind::kUnavailable, "查阅记录未能写入访问日志，个人信息不予返回"}));
  });
}

void Routes::read_access_log(const Query& query, const Caller& caller, Respond respond) {
  const auto number = [&](const char* name, std::uint64_t least, std::uint64_t most, std::uint64_t otherwise,
                          std::uint64_t& out) -> std::optional<Problem> {
    const auto found = query.find(name);
    out = otherwise;
    if (found == query.end()) return std::nullopt;
    const auto& text = found->second;
    const bool digits = !text.empty() && text.size() <= 19 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    out = digits ? std::stoull(text) : 0;
    if (!digits || out < least || out > most) {
      return Problem{ProblemKind::kBadQuery, "查询参数 " + std::string(name) + " 应为 " + std::to_string(least) + " 至 " +
                                                 std::to_string(most) + " 的整数，实际为 " + text};
    }
    return std::nullopt;
  };
  std::uint64_t from = 1, limit = kRecordsPerPage;
  if (auto problem = number("from", 1, UINT64_MAX / 2, 1, from)) return respond(problem_response(*problem));
  if (auto problem = number("limit", 1, kMostRecordsPerPage, kRecordsPerPage, limit)) return respond(problem_response(*problem));
  auto records = engine_.access_records(from, limit);
  if (!records) return respond(problem_response(engine_problem(records.error())));
  // A bounded auditor reads the records of the cases it may see.
  const auto now = engine_.clock().now();
  const auto directory = engine_.directory();
  std::string body = "{\"records\":[";
  bool first = true;
  for (const auto& record : *records) {
    if (caller.key != nullptr && caller.key->jurisdiction.kind != access::Jurisdiction::Kind::kEverywhere) {
      auto state = engine_.get(record.case_id);
      if (!state || !caller.sees(*state, *directory, now)) continue;
    }
    body += (first ? "" : ",") + access_record_json(record);
    first = false;
  }
  const bool more = records->size() == limit;
  body += "],\"next_from\":" + (more ? std::to_string(records->back().position + 1) : std::string("null")) + "}";
  respond(json_response(200, std::move(body)));
}

}  // namespace escalator::http
