#include "cell_scenarios.hpp"

#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include "escalator/engine/engine.hpp"
#include "scenario.hpp"
#include "scenario_commands.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kStart = "2025-11-11T09:00+08:00";

// How each state is reached from a new case, as scenario steps, in state order.
using Path = std::vector<const char*>;
const std::array<Path, kLifecycleStateCount> kPaths = {{
    {},
    {"dispatch"},
    {"dispatch", "accept"},
    {"dispatch", "accept", "reply answer=已维修完毕"},
    {"dispatch", "accept", "reply answer=已维修完毕", "follow_up"},
    {"dispatch", "accept", "reply answer=已维修完毕", "follow_up", "rate rating=satisfied"},
    {"dispatch", "accept", "reply answer=已维修完毕", "follow_up", "rate rating=satisfied", "close"},
    {"dispatch", "accept", "suspend reason=等待业主配合入户"},
    {"withdraw reason=居民自行解决"},
    {"merge into=@target"},
    {"return reason=地址不属本区管辖"},
}};

// Every command but open (which only ever makes a new case), well formed.
const std::vector<const char*> kCommands = {
    "dispatch", "accept", "reply_on_spot answer=已现场处理", "reply answer=已维修完毕",
    "return reason=不属于本单位管辖", "send_back to=property reason=答复不充分",
    "escalate reason=本级无法解决", "urge note=请尽快处理",
    "hand_over to=yangguang-1.station note=交网格员跟进", "suspend reason=等待业主配合入户", "resume",
    "request_extension extra=\"2 working-days\" reason=需要采购配件", "decide_extension approved=true",
    "follow_up", "rate rating=satisfied", "reopen reason=问题复发", "withdraw reason=居民自行解决",
    "merge into=@target", "close", "accept_timeout", "resolve_timeout", "reply_timeout", "rating_timeout",
    "co_handler_reply unit=yangguang.office answer=社区已协调", "raise_warning kind=reply",
    "follow_up_timeout", "recompute_deadlines", "erase_personal_data reason=保存期满",
    "locate compound=heping-li reason=居民所报小区有误", "discuss note=议定处理办法",
    "add_co_handlers units=yangguang.volunteers reason=议事会议定设立护学岗"};

// Runs steps on one engine the way the scenario runner would, remembering the
// case behind each alias.
class Driver {
 public:
  Driver() : clock_(std::make_shared<ManualClock>(*parse_time(kStart))) {
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.clock = clock_;
    engine_ = std::move(*Engine::open(std::move(options)));
  }

  Result<Decision> run(const std::string& line, const std::string& alias) {
    auto parsed = scenario::parse(std::string("name: x\nstart: ") + kStart + "\n" + line + "\n", "gen");
    const scenario::Step& step = parsed->steps.front();
    scenario::CommandSite site;
    site.sequence = ++sequence_;
    site.case_of_alias = [this](const std::string& a) -> Result<std::string> { return aliases_.at(a); };
    if (step.verb != "open") {
      site.case_id = aliases_.at(alias);
      if (auto k = engine_->get(site.case_id)) site.state = *k;
    }
    auto decided = engine_->submit(*scenario::build_command(step, site, "gen")).get();
    if (decided && step.verb == "open") aliases_[alias] = decided->case_id;
    return decided;
  }

  std::string state_of(const std::string& alias) {
    return std::string(to_string(engine_->get(aliases_.at(alias))->state));
  }

 private:
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Engine> engine_;
  std::map<std::string, std::string> aliases_;
  int sequence_ = 0;
};

std::string names(const Decision& d) {
  std::string text;
  for (const auto& e : d.events) text += " " + std::string(event_type_name(event_type(e.payload)));
  return text;
}

std::string quoted(const std::string& text) {
  std::string q = "\"";
  for (char c : text) q += (c == '"') ? std::string("\\\"") : std::string(1, c);
  return q + "\"";
}

// `{@cN}` for each case id in the message, as scenarios write them.
std::string with_aliases(std::string text, const std::map<std::string, std::string>& ids) {
  for (const auto& [id, alias] : ids) {
    for (std::size_t at; (at = text.find(id)) != std::string::npos;) text.replace(at, id.size(), "{" + alias + "}");
  }
  return text;
}

std::string scenario_for(LifecycleState state) {
  const Path& path = kPaths[static_cast<std::size_t>(state)];
  const std::string_view title = title_of(state);
  Driver d;
  std::ostringstream scn;
  std::map<std::string, std::string> ids;  // case id -> alias
  scn << "name: 状态 " << title << " 下的每一条命令\n"
      << "description: Every command tried on a case in state " << title
      << "; what the engine answers in each cell of the lifecycle table. Written by `escalator lifecycle "
         "--scenarios tests/scenarios/cells`.\n"
      << "group: cells\nstart: " << kStart << "\n\n"
      << "open @target content=\"合并的目标工单\"\nexpect events CaseOpened\n";
  ids[d.run("open content=合并的目标工单", "@target")->case_id] = "@target";
  for (std::size_t i = 0; i < kCommands.size(); ++i) {
    const std::string alias = "@c" + std::to_string(i + 1);
    const std::string command = kCommands[i];
    const std::string verb = command.substr(0, command.find(' '));
    scn << "\n# " << title << " × " << verb << "\n";
    std::string opened = "open " + alias + " content=\"楼上卫生间漏水\"";
    ids[d.run("open content=楼上卫生间漏水", alias)->case_id] = alias;
    scn << opened << "\n";
    std::string path_events = " CaseOpened";
    for (const char* step : path) {
      std::string line = step;
      line.insert(line.find(' ') == std::string::npos ? line.size() : line.find(' '), " " + alias);
      scn << line << "\n";
      path_events += names(*d.run(step, alias));
    }
    scn << "expect events" << path_events << "\n";
    std::string line = command;
    line.insert(line.find(' ') == std::string::npos ? line.size() : line.find(' '), " " + alias);
    scn << line << "\n";
    auto decided = d.run(command, alias);
    if (decided) {
      scn << "expect events" << names(*decided) << "\n";
    } else {
      scn << "expect refusal " << to_string(decided.error().code) << " "
          << quoted(with_aliases(decided.error().message, ids)) << "\n";
    }
    scn << "expect " << alias << " state=" << d.state_of(alias) << "\n";
  }
  return scn.str();
}

}  // namespace

int write_cell_scenarios(const std::filesystem::path& dir, std::ostream& out) {
  std::filesystem::create_directories(dir);
  int written = 0;
  for (int s = 0; s < kLifecycleStateCount; ++s) {
    const auto state = static_cast<LifecycleState>(s);
    const auto file = dir / (std::string(to_string(state)) + ".scn");
    std::ofstream(file) << scenario_for(state);
    out << file.string() << "\n";
    ++written;
  }
  return written;
}

}  // namespace escalator::tools
