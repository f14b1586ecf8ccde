// The scenario runner is the bar most lifecycle rules are held to, so it must
// fail when a scenario's expectation is wrong; these tests prove it does.
#include <doctest/doctest.h>

#include "scenario.hpp"

using namespace escalator;

namespace {

scenario::Verdict run_text(const std::string& steps) {
  auto s = scenario::parse("name: t\nstart: 2025-11-11T09:00+08:00\n" + steps, "t.scn");
  REQUIRE(s.has_value());
  return scenario::run(*s);
}

}  // namespace

TEST_CASE("HeaderNeedsNameAndStart") {
  auto no_name = scenario::parse("start: 2025-11-11T09:00+08:00\nopen\n", "a.scn");
  REQUIRE_FALSE(no_name.has_value());
  CHECK(no_name.error().message == "a.scn:1: name: required in the header");
  auto no_start = scenario::parse("name: x\nopen\n", "b.scn");
  REQUIRE_FALSE(no_start.has_value());
  CHECK(no_start.error().message == "b.scn:1: start: required in the header");
}

TEST_CASE("QuotedWordsKeepTheirBlanks") {
  auto s = scenario::parse("name: x\nstart: 2025-11-11T09:00+08:00\nreply answer=\"已 修 复\" @a\n", "q.scn");
  REQUIRE(s.has_value());
  REQUIRE(s->steps.size() == 1);
  CHECK(s->steps[0].args.at("answer") == "已 修 复");
  CHECK(s->steps[0].words == std::vector<std::string>{"@a"});
  auto open_quote = scenario::parse("name: x\nstart: 2025-11-11T09:00+08:00\nreply answer=\"x\n", "q.scn");
  REQUIRE_FALSE(open_quote.has_value());
  CHECK(open_quote.error().message == "q.scn:3: unclosed quote");
}

TEST_CASE("PassingScenarioPasses") {
  const auto v = run_text("open\ndispatch\nexpect events CaseOpened CaseDispatched\nexpect state=dispatched\n");
  CHECK(v.passed);
  CHECK(v.failures.empty());
}

TEST_CASE("WrongEventListFails") {
  const auto v = run_text("open\ndispatch\nexpect events CaseOpened\n");
  CHECK_FALSE(v.passed);
  REQUIRE(v.failures.size() == 1);
  CHECK(v.failures[0] == "t.scn:5: expected events CaseOpened, got CaseOpened CaseDispatched");
}

TEST_CASE("WrongFieldFails") {
  const auto v = run_text("open\nexpect state=closed\nexpect events CaseOpened\n");
  REQUIRE(v.failures.size() == 1);
  CHECK(v.failures[0] == "t.scn:4: state: expected closed, got new");
}

TEST_CASE("RefusalNobodyExpectedFails") {
  const auto v = run_text("open\naccept\nexpect state=new\nexpect events CaseOpened\n");
  CHECK_FALSE(v.passed);
  REQUIRE(v.failures.size() == 1);
  CHECK(v.failures[0] ==
        "t.scn:4: refused (failed_precondition): Expected to accept case 370811-20251111-000001 in "
        "state Dispatched, but it is New");
}

TEST_CASE("ExpectedRefusalWithOtherMessageFails") {
  const auto v = run_text("open\naccept\nexpect refusal failed_precondition \"something else\"\n");
  CHECK_FALSE(v.passed);
}

TEST_CASE("EventsLeftUncheckedFail") {
  const auto v = run_text("open\ndispatch\nexpect events CaseOpened CaseDispatched\nurge\n");
  REQUIRE(v.failures.size() == 1);
  CHECK(v.failures[0] == "t.scn:6: events nobody expected at the end: CaseUrged");
}

TEST_CASE("UnknownArgumentIsAnError") {
  const auto v = run_text("open compund=yangguang-garden\n");
  REQUIRE(v.failures.size() == 1);
  CHECK(v.failures[0] == "t.scn:3: unknown argument 'compund' for open");
}

TEST_CASE("AdvanceFiresDeadlinesInOrderAtTheirOwnTime") {
  const auto v = run_text(
      "open\ndispatch\nadvance 5 days\n"
      "expect events CaseOpened CaseDispatched WarningRaised OverdueMarked CaseEscalated WarningRaised "
      "OverdueMarked CaseEscalated WarningRaised OverdueMarked CaseEscalated\n"
      "expect event CaseEscalated to.step_id=community\n"
      "expect step=community accept_by=2025-11-18T00:00:00+08:00\n");
  CHECK(v.passed);
  for (const auto& f : v.failures) MESSAGE(f);
}

TEST_CASE("ExpectEventChecksWhoIssuedItAndTheElementsOfItsLists") {
  const std::string steps =
      "open\ndispatch lead=yangguang-garden.property co=yangguang.office,yangguang-1.station actor=dispatcher.7\n"
      "expect events CaseOpened CaseDispatched\n";
  const auto right = run_text(steps +
                              "expect event CaseDispatched actor=dispatcher.7 key=step-2 seq=2 "
                              "to.co_handlers=yangguang.office,yangguang-1.station to.co_handlers.1=yangguang-1.station\n");
  CHECK(right.passed);
  for (const auto& f : right.failures) MESSAGE(f);

  const auto wrong = run_text(steps + "expect event CaseDispatched actor=scenario to.co_handlers.2=x\n");
  CHECK_FALSE(wrong.passed);
  REQUIRE(wrong.failures.size() == 2);
  CHECK(wrong.failures[0] == "t.scn:6: CaseDispatched actor: expected scenario, got dispatcher.7");
  CHECK(wrong.failures[1] == "t.scn:6: CaseDispatched to.co_handlers.2: expected x, got (absent)");
}

TEST_CASE("AnAliasOrATimeAStepCannotUseIsToldAtItsFileAndLine") {
  const auto v = run_text("open @a\nmerge @a into=@nope\ndispatch @a\naccept_timeout @a due=yesterday\n");
  CHECK_FALSE(v.passed);
  REQUIRE(v.failures.size() >= 2);
  CHECK(v.failures[0] == "t.scn:4: into: unknown case alias @nope");
  CHECK(v.failures[1].starts_with("t.scn:6: due: Expected a time like"));
}
