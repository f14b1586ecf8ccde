// A city platform embedding escalator: link escalator::engine, include its
// public headers, submit commands, read cases back. Built and run by `make test`.
#include <escalator/engine/engine.hpp>

#include <iostream>

int main() {
  using namespace escalator;

  // Time comes from a clock the embedder chooses; SystemClock in production.
  auto clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  EngineOptions options;
  options.clock = clock;
  options.logger = std::make_shared<JsonLinesLogger>(std::cerr, LogLevel::kWarn);
  // The calendar defaults to the official one; workflows and org directory to the built-in ones.
  auto opened_engine = Engine::open(std::move(options));
  if (!opened_engine) {
    std::cerr << opened_engine.error().message << "\n";
    return 1;
  }
  Engine& engine = **opened_engine;

  // A hotline work order: its order number is the idempotency key.
  cmd::Open open;
  open.request_type = RequestType::kComplaint;
  open.channel = Channel::kHotline;
  open.category = "物业/漏水";
  open.location.district_code = "370811";
  open.location.compound = "yangguang-garden";
  open.content = "楼上卫生间漏水";
  open.first_contact = Party{"hotline.12345", "operator-07"};
  auto opened = engine.submit(Command{"", "GD-20251111-0001", std::nullopt, "hotline", open}).get();
  if (!opened) {
    std::cerr << opened.error().message << "\n";
    return 1;
  }
  const std::string id = opened->case_id;  // "370811-20251111-000001": tell the resident

  // Each command carries its own idempotency key; a retry with the same key is harmless.
  auto dispatched = engine.submit(Command{id, "dispatch-1", std::nullopt, "dispatcher", cmd::Dispatch{}}).get();
  auto refused = engine.submit(Command{id, "close-1", std::nullopt, "dispatcher", cmd::Close{}}).get();
  if (!dispatched || refused) return 1;
  // "Expected to close case ... after a reply to the resident, but it is Dispatched ..."
  std::cout << to_string(refused.error().code) << ": " << refused.error().message << "\n";

  // Nobody signs for it: at the deadline the timer escalates it to the party branch.
  clock->set(*engine.get(id)->accept_by);
  for (const auto& decided : engine.fire_due_timers()) {
    if (!decided) return 1;
  }
  const CaseState now = *engine.get(id);
  std::cout << id << " is " << to_string(now.state) << " at step " << now.step_id << ", held by "
            << now.lead_unit << "\n";
  const auto history = engine.history(id);  // keep the Result alive while iterating
  for (const Event& e : *history) std::cout << to_json(e) << "\n";
  return now.step_id == "branch" ? 0 : 1;
}
