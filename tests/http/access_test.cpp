// Access control through the routes (docs/access.md): every operation ×
// every role × inside and outside the key's jurisdiction, from the one table
// the service enforces; masking; lists, reports and re-drawn grids.
#include <doctest/doctest.h>

#include <fstream>
#include <future>

#include "escalator/access/keys.hpp"
#include "escalator/access/permissions.hpp"
#include "escalator/http/openapi.hpp"
#include "http_support.hpp"
#include "store_support.hpp"

namespace escalator {
namespace {

using testing::leak_body;
using testing::RoutesHarness;
using access::Grant;
using access::Role;
using Json = nlohmann::json;

struct Keys {
  std::vector<access::ApiKey> entries;
  std::map<std::string, std::string> text;  // by a name the test gives
  std::map<std::string, std::string> ids;

  std::string add(const std::string& name, Role role, const std::string& where,
                  std::optional<Channel> channel = std::nullopt) {
    auto key = access::make_key(name, role, *access::parse_jurisdiction(where), channel, "2025-11-11T09:00:00+08:00");
    REQUIRE(key);
    entries.push_back(key->entry);
    text[name] = key->text;
    ids[name] = key->entry.id;
    return key->entry.id;
  }
};

// Options whose rate limits no test but the limits' own reaches.
http::HttpOptions unhurried() {
  http::HttpOptions options;
  options.limits.requests_per_key_per_second = 1e6;
  options.limits.requests_per_key_burst = 1e6;
  return options;
}

// A service whose keys are a file, as `escalator serve --keys` runs it.
struct KeyedHarness : RoutesHarness {
  testing::TempDir dir;
  std::filesystem::path file = dir.path() / "keys.json";
  Keys keys;

  explicit KeyedHarness(const http::HttpOptions& options = unhurried()) {
    routes = std::make_unique<http::Routes>(*engine, options, log);
    keys.add("setup", Role::kDispatcher, "*");
    keys.add("auditor", Role::kAuditor, "*");
    keys.add("admin", Role::kAdministrator, "*");
    for (Role role : access::kAllRoles) {
      const std::string name(access::to_string(role));
      const bool intake = role == Role::kIntake;
      const auto channel = intake ? std::optional(Channel::kHotline) : std::nullopt;
      // The cases of these tests are at 阳光花园 (济阳街道), whose property company holds them first.
      keys.add(name + "/inside", role, role == Role::kHandler ? "unit:yangguang-garden.property" : "place:jiyang",
               channel);
      keys.add(name + "/outside", role, role == Role::kHandler ? "unit:yunhe-renjia.property" : "place:guhuai", channel);
    }
    save();
  }
  void save() {
    REQUIRE(access::write_keys_file(file, keys.entries));
    REQUIRE(routes->load_keys(file));
  }

  http::Response as(const std::string& key, std::string method, std::string target, std::string body = {}) {
    std::map<std::string, std::string> headers;
    if (!key.empty()) headers["authorization"] = "Bearer " + keys.text.at(key);
    return call(std::move(method), std::move(target), std::move(body), std::move(headers));
  }
  // A request from the connection's other end `peer`, as the server hands it over.
  http::Response from(const std::string& peer, const std::string& key, std::map<std::string, std::string> headers = {}) {
    if (!key.empty()) headers["authorization"] = "Bearer " + keys.text.at(key);
    http::Request request{"GET", "/v1/workflows", std::move(headers), ""};
    request.peer = peer;
    auto answered = std::make_shared<std::promise<http::Response>>();
    auto response = answered->get_future();
    routes->handle(request, [answered](http::Response r) { answered->set_value(std::move(r)); });
    return response.get();
  }
  // A case at 阳光花园 dispatched to its property company.
  std::string dispatched_case(Json body = leak_body()) {
    auto opened = as("setup", "POST", "/v1/cases", body.dump());
    REQUIRE(opened.status == 201);
    const auto id = Json::parse(opened.body)["case_id"].get<std::string>();
    REQUIRE(as("setup", "POST", "/v1/cases/" + id + "/dispatch", "{}").status == 200);
    return id;
  }
};

std::string type_of(const http::Response& response) {
  const auto body = Json::parse(response.body, nullptr, false);
  return body.is_object() ? body.value("type", "") : "";
}
bool forbidden(const http::Response& r) { return r.status == 403 && type_of(r).ends_with("/forbidden"); }
bool no_such_case(const http::Response& r) { return r.status == 404 && type_of(r).ends_with("/case-not-found"); }
// The request reached its route: whatever the route then answered, access let it through.
bool let_through(const http::Response& r) { return r.status != 401 && !forbidden(r) && !no_such_case(r); }

// A request for each operation that is not on one case.
std::string target_of(const access::Operation& operation) {
  const std::string id(operation.id);
  if (id == "readInbox") return "/v1/inbox?unit=yangguang-garden.property";
  if (id == "readStats") return "/v1/stats?from=2025-11-01&to=2025-11-30&by=street";
  if (id == "readCasesBehindACount")
    return "/v1/stats/cases?count=received&from=2025-11-01&to=2025-11-30&by=street&group=jiyang";
  if (id == "readWorkflow") return "/v1/workflows/hotline-12345";
  if (id == "retireWorkflow") return "/v1/workflows/no-such-workflow/retire";
  if (id == "reinstateWorkflow") return "/v1/workflows/no-such-workflow/reinstate";
  return std::string(operation.path);
}

TEST_CASE("every operation × every role × inside and outside its jurisdiction, as the table says") {
  KeyedHarness h;
  h.dispatched_case();  // something for the reports to count
  int cells = 0;
  for (const auto& operation : access::operations()) {
    for (Role role : access::kAllRoles) {
      for (const std::string side : {"inside", "outside"}) {
        const auto key = std::string(access::to_string(role)) + "/" + side;
        std::string target = target_of(operation);
        if (operation.on_a_case) {
          const auto id = h.dispatched_case();
          target.replace(target.find("{id}"), 4, id);
        }
        const std::string body = operation.method == "POST" ? "{}" : "";
        const auto response = h.as(operation.open ? std::string() : key, std::string(operation.method), target, body);
        const Grant grant = operation.of(role);
        const std::string cell = std::string(operation.id) + " × " + key + ": " + std::to_string(response.status) +
                                 " " + response.body.substr(0, 300);
        ++cells;
        if (operation.open) {
          CHECK_MESSAGE(response.status == 200, cell);
        } else if (grant == Grant::kNone) {
          CHECK_MESSAGE(forbidden(response), cell);
        } else if (operation.on_a_case && side == "outside") {
          CHECK_MESSAGE(no_such_case(response), cell);
        } else if (operation.id == "readCasesBehindACount" && side == "outside") {
          CHECK_MESSAGE(forbidden(response), cell);  // the group asked for is jiyang's, outside guhuai
        } else {
          CHECK_MESSAGE(let_through(response), cell);
        }
      }
    }
  }
  CHECK(cells == static_cast<int>(access::operations().size()) * 6 * 2);
}

TEST_CASE("no key, a wrong key or a revoked key is 401; health, readiness and the document need none") {
  KeyedHarness h;
  const auto none = h.call("GET", "/v1/cases");
  CHECK(none.status == 401);
  const auto challenge = std::find_if(none.headers.begin(), none.headers.end(),
                                      [](const auto& header) { return header.first == "WWW-Authenticate"; });
  REQUIRE(challenge != none.headers.end());
  CHECK(challenge->second == "Bearer realm=\"escalator\"");
  CHECK(h.call("GET", "/v1/cases", "", {{"authorization", "Bearer esk_000000000000_nothing"}}).status == 401);
  CHECK(h.call("GET", "/no/such/route").status == 401);  // which routes exist is not told either
  CHECK(h.call("GET", "/healthz").status == 200);
  CHECK(h.call("GET", "/readyz").status == 200);
  CHECK(h.call("GET", "/v1/openapi.json").status == 200);
  CHECK(h.as("auditor", "GET", "/no/such/route").status == 404);

  // Revoked in the file and read again: refused from the next request on.
  CHECK(h.as("auditor", "GET", "/v1/cases").status == 200);
  for (auto& key : h.keys.entries) {
    if (key.name == "auditor") key.revoked_at = "2025-11-11T10:00:00+08:00";
  }
  // Written as `escalator keys revoke` writes it, and not read by anyone:
  // the next request finds the file changed and reads it.
  REQUIRE(access::write_keys_file(h.file, h.keys.entries));
  CHECK(h.as("auditor", "GET", "/v1/cases").status == 401);
  CHECK(h.as("supervisor/inside", "GET", "/v1/cases").status == 200);

  // A file that cannot be read leaves the keys in force, and says so once.
  std::ofstream(h.file) << "{\"keys\": [{\"id\": \"x\"}]}";
  CHECK(h.as("supervisor/inside", "GET", "/v1/cases").status == 200);
  CHECK(h.as("supervisor/inside", "GET", "/v1/cases").status == 200);
  int said = 0;
  for (const auto& line : h.log_lines()) {
    if (line.value("msg", "").starts_with("keys file changed and not read")) {
      ++said;
      CHECK(line.value("error", "").find("/keys/0/id") != std::string::npos);
    }
  }
  CHECK(said == 1);
  auto refused = h.routes->load_keys(h.file);
  REQUIRE(!refused);
  CHECK(refused.error().message.find("/keys/0/id") != std::string::npos);
  CHECK(h.as("supervisor/inside", "GET", "/v1/cases").status == 200);
  // No secret ever reaches the log.
  const auto log = h.log_text.str();
  for (const auto& [name, text] : h.keys.text) CHECK(log.find(text.substr(17)) == std::string::npos);
}

TEST_CASE("personal data reaches the roles that contact the resident in clear, and the others masked") {
  KeyedHarness h;
  const auto id = h.dispatched_case();
  for (Role role : access::kAllRoles) {
    const auto key = std::string(access::to_string(role)) + "/inside";
    const auto response = h.as(key, "GET", "/v1/cases/" + id);
    if (role == Role::kAdministrator) {
      CHECK(forbidden(response));
      continue;
    }
    REQUIRE_MESSAGE(response.status == 200, key);
    const auto k = Json::parse(response.body);
    const bool clear = access::sight_of(role) == access::Sight::kClear;
    CAPTURE(key);
    CHECK(k["reporter"]["name"] == (clear ? "张三" : "张*"));
    CHECK(k["reporter"]["phone"] == (clear ? "13800000000" : "138****0000"));
    CHECK(k["location"]["address"] == (clear ? "3号楼2单元401" : "3号楼2单元***"));
    CHECK(k["content"] == (clear ? "楼上卫生间漏水" : "［已遮蔽，7 字］"));
    // Lists and the inbox mask as the case does.
    const auto listed = h.as(key, "GET", "/v1/cases");
    if (listed.status == 200) CHECK(Json::parse(listed.body)["cases"][0]["reporter"]["phone"] == k["reporter"]["phone"]);
    const auto inbox = h.as(key, "GET", "/v1/inbox?unit=yangguang-garden.property");
    if (inbox.status == 200) CHECK(Json::parse(inbox.body)["entries"][0]["case"]["content"] == k["content"]);
  }
  // As the case stood at a past moment, too.
  const auto then = h.as("supervisor/inside", "GET", "/v1/cases/" + id + "?at=2025-11-11T09:00:00%2B08:00");
  REQUIRE(then.status == 200);
  CHECK(Json::parse(then.body)["reporter"]["phone"] == "138****0000");
}

TEST_CASE("every read of personal data in clear is in the access log, chained, before it is answered") {
  KeyedHarness h;
  const auto id = h.dispatched_case();
  const auto records = [&]() {
    const auto response = h.as("auditor", "GET", "/v1/access-log");
    REQUIRE(response.status == 200);
    return Json::parse(response.body)["records"];
  };
  CHECK(records().empty());  // the set-up's dispatcher read no case
  // A supervisor reads masked: nothing to record.
  REQUIRE(h.as("supervisor/inside", "GET", "/v1/cases/" + id).status == 200);
  CHECK(records().empty());
  // The property company reads in clear, saying why.
  std::map<std::string, std::string> headers{{"authorization", "Bearer " + h.keys.text.at("handler/inside")},
                                             {"x-access-purpose", "回电核实漏水位置"},
                                             {"x-request-id", "req-leak-1"}};
  REQUIRE(h.call("GET", "/v1/cases/" + id, "", headers).status == 200);
  auto log = records();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["position"] == 1);
  CHECK(log[0]["key"] == h.keys.ids.at("handler/inside"));
  CHECK(log[0]["holder"] == "handler/inside");
  CHECK(log[0]["role"] == "handler");
  CHECK(log[0]["operation"] == "readCase");
  CHECK(log[0]["case_id"] == id);
  CHECK(log[0]["fields"] == Json::parse(R"(["reporter.name","reporter.phone","location.address","content"])"));
  CHECK(log[0]["purpose"] == "回电核实漏水位置");
  CHECK(log[0]["request_id"] == "req-leak-1");
  CHECK(log[0]["prev_hash"] == std::string(kAccessGenesisHash));
  // No value of the resident is in the log.
  CHECK(log.dump().find("13800000000") == std::string::npos);
  // A list in clear records each case it shows; the chain goes on.
  const auto second = h.dispatched_case();
  REQUIRE(h.as("dispatcher/inside", "GET", "/v1/cases").status == 200);
  log = records();
  REQUIRE(log.size() == 3);
  CHECK(log[1]["operation"] == "listCases");
  CHECK(log[2]["case_id"] == second);
  CHECK(log[1]["prev_hash"] == log[0]["hash"]);
  CHECK(log[2]["prev_hash"] == log[1]["hash"]);
  // Paged from a position.
  const auto page = Json::parse(h.as("auditor", "GET", "/v1/access-log?from=2&limit=1").body);
  CHECK(page["records"][0]["position"] == 2);
  CHECK(page["next_from"] == 3);
  CHECK(h.as("auditor", "GET", "/v1/access-log?limit=0").status == 400);
  // A reason that is too long is refused before anything is read.
  headers["x-access-purpose"] = std::string(201, 'x');
  CHECK(h.call("GET", "/v1/cases/" + id, "", headers).status == 400);
  // Once the resident's data is erased there is nothing to read, and nothing is recorded;
  // what was recorded stays.
  REQUIRE(h.as("setup", "POST", "/v1/cases/" + id + "/withdraw", R"({"reason":"居民撤诉"})").status == 200);
  REQUIRE(h.as("setup", "POST", "/v1/cases/" + id + "/erase_personal_data", R"({"reason":"居民要求删除"})").status == 200);
  REQUIRE(h.as("handler/inside", "GET", "/v1/cases/" + id).status == 200);
  CHECK(records().size() == 3);
}

TEST_CASE("lists and the inbox hold only the cases the key may see, a full page at a time") {
  KeyedHarness h;
  auto elsewhere = leak_body();  // 运河人家, in 古槐街道
  elsewhere["location"] = {{"district_code", "370811"}, {"compound", "yunhe-renjia"}, {"address", "1号楼101"}};
  std::vector<std::string> jiyang, guhuai;
  for (int i = 0; i < 3; ++i) {
    guhuai.push_back(h.dispatched_case(elsewhere));
    jiyang.push_back(h.dispatched_case());
  }
  const auto ids_of = [&](const std::string& key, std::string target) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 10; ++pages) {
      const auto response = h.as(key, "GET", target);
      REQUIRE(response.status == 200);
      const auto body = Json::parse(response.body);
      for (const auto& k : body["cases"]) ids.push_back(k["id"]);
      if (body["next_cursor"].is_null()) break;
      target = "/v1/cases?limit=2&cursor=" + body["next_cursor"].get<std::string>();
    }
    return ids;
  };
  CHECK(ids_of("supervisor/inside", "/v1/cases?limit=2") == jiyang);
  CHECK(ids_of("supervisor/outside", "/v1/cases?limit=2") == guhuai);
  CHECK(ids_of("auditor", "/v1/cases?limit=2").size() == 6);
  // A unit's inbox, read by a key of elsewhere: empty, not an error.
  const auto inbox = h.as("supervisor/outside", "GET", "/v1/inbox?unit=yangguang-garden.property");
  REQUIRE(inbox.status == 200);
  CHECK(Json::parse(inbox.body)["entries"].empty());
  CHECK(Json::parse(h.as("supervisor/inside", "GET", "/v1/inbox?unit=yangguang-garden.property").body)["entries"].size() == 3);
}

std::string header_of(const http::Response& response, const std::string& name) {
  for (const auto& [n, v] : response.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST_CASE("a key over its rate is refused with 429 and Retry-After; other keys go on") {
  http::HttpOptions options;
  options.limits.requests_per_key_per_second = 0.5;  // one every two seconds
  options.limits.requests_per_key_burst = 3;
  KeyedHarness h(options);
  for (int i = 0; i < 3; ++i) CHECK(h.as("auditor", "GET", "/v1/workflows").status == 200);
  const auto refused = h.as("auditor", "GET", "/v1/workflows");
  CHECK(refused.status == 429);
  CHECK(type_of(refused).ends_with("/too-many-requests"));
  CHECK(header_of(refused, "Retry-After") == "2");
  CHECK(h.as("supervisor/inside", "GET", "/v1/workflows").status == 200);
  // Health and the document take no key, and so no token.
  CHECK(h.call("GET", "/healthz").status == 200);
}

TEST_CASE("an address that sends bad keys is slowed; X-Forwarded-For counts only from a trusted proxy") {
  http::HttpOptions options;
  options.limits.bad_keys_per_address_per_minute = 2;
  options.trusted_proxies = {"127.0.0.1"};
  KeyedHarness h(options);
  const std::map<std::string, std::string> wrong{{"authorization", "Bearer esk_000000000000_guess"}};
  CHECK(h.from("198.51.100.9", "", wrong).status == 401);
  CHECK(h.from("198.51.100.9", "", wrong).status == 401);
  // Past the limit every request of the address waits, a good key's too:
  // its key is not even read, so guessing goes no faster.
  const auto slowed = h.from("198.51.100.9", "auditor");
  CHECK(slowed.status == 429);
  CHECK(header_of(slowed, "Retry-After") == "30");
  CHECK(h.from("198.51.100.10", "auditor").status == 200);
  // Behind the trusted proxy each client is counted by the address the proxy saw.
  auto via = [&](const std::string& client, const std::string& key, std::map<std::string, std::string> headers = {}) {
    headers["x-forwarded-for"] = client;
    return h.from("127.0.0.1", key, headers);
  };
  auto wrong_via = wrong;
  CHECK(via("203.0.113.7", "", wrong_via).status == 401);
  CHECK(via("203.0.113.7", "", wrong_via).status == 401);
  CHECK(via("203.0.113.7", "auditor").status == 429);
  CHECK(via("203.0.113.8", "auditor").status == 200);
  CHECK(h.from("127.0.0.1", "auditor").status == 200);  // the proxy itself is not slowed
  // From a peer that is not a proxy, X-Forwarded-For is a claim: a client
  // naming a slowed address is not slowed, nor does it slow that address.
  std::map<std::string, std::string> spoofed{{"x-forwarded-for", "203.0.113.7"}};
  CHECK(h.from("192.0.2.50", "auditor", spoofed).status == 200);
  // The request log names the client as the service took it.
  bool logged = false;
  for (const auto& line : h.log_lines()) {
    if (line.value("client", "") == "192.0.2.50") logged = line.value("key", "") == h.keys.ids.at("auditor");
  }
  CHECK(logged);
}

TEST_CASE("a handler acts on the cases its unit holds; seeing a case is not holding it") {
  KeyedHarness h;
  h.keys.add("grid", Role::kHandler, "unit:yangguang-1.station");
  h.save();
  const auto id = h.dispatched_case();
  REQUIRE(Json::parse(h.as("setup", "GET", "/v1/cases/" + id).body)["lead_unit"] == "yangguang-garden.property");
  // The grid worker sees the case in its grid, and may not sign for it.
  CHECK(h.as("grid", "GET", "/v1/cases/" + id).status == 200);
  const auto refused = h.as("grid", "POST", "/v1/cases/" + id + "/accept", "{}");
  CHECK(forbidden(refused));
  const auto detail = Json::parse(refused.body)["detail"].get<std::string>();
  CHECK(detail.find("yangguang-1.station") != std::string::npos);
  // The property company holds it; its actor is the key when the body names none.
  const auto accepted = h.as("handler/inside", "POST", "/v1/cases/" + id + "/accept", "{}");
  REQUIRE(accepted.status == 200);
  CHECK(Json::parse(accepted.body)["events"][0]["actor"] == "key:" + h.keys.ids.at("handler/inside"));
}

TEST_CASE("an intake key opens cases for its own channel") {
  KeyedHarness h;
  h.keys.add("wechat", Role::kIntake, "place:370811", Channel::kWeChat);
  h.save();
  auto body = leak_body();
  body.erase("channel");
  const auto opened = h.as("wechat", "POST", "/v1/cases", body.dump());
  REQUIRE(opened.status == 201);
  const auto id = Json::parse(opened.body)["case_id"].get<std::string>();
  CHECK(Json::parse(h.as("auditor", "GET", "/v1/cases/" + id).body)["channel"] == "wechat");
  const auto other = h.as("wechat", "POST", "/v1/cases", leak_body().dump());  // says hotline
  CHECK(forbidden(other));
  CHECK(Json::parse(other.body)["pointer"] == "/channel");
  // The hotline's intake key does not see the WeChat case.
  CHECK(no_such_case(h.as("intake/inside", "GET", "/v1/cases/" + id)));
}

TEST_CASE("a bounded key's report holds the groups within its jurisdiction and counts nothing else") {
  KeyedHarness h;
  auto elsewhere = leak_body();
  elsewhere["location"] = {{"district_code", "370811"}, {"compound", "yunhe-renjia"}};
  h.dispatched_case();
  h.dispatched_case(elsewhere);
  h.dispatched_case(elsewhere);
  const auto groups_of = [&](const std::string& key, const std::string& by) {
    const auto response = h.as(key, "GET", "/v1/stats?from=2025-11-01&to=2025-11-30&by=" + by);
    REQUIRE(response.status == 200);
    return Json::parse(response.body);
  };
  const auto everywhere = groups_of("auditor", "street");
  CHECK(everywhere["groups"].size() == 2);
  const auto bounded = groups_of("supervisor/inside", "street");
  REQUIRE(bounded["groups"].size() == 1);
  CHECK(bounded["groups"][0]["group"] == "jiyang");
  CHECK(bounded["total"]["received"] == 1);
  CHECK(groups_of("supervisor/outside", "grid")["total"]["received"] == 2);
  const auto by_category = h.as("supervisor/inside", "GET", "/v1/stats?from=2025-11-01&to=2025-11-30&by=category");
  CHECK(forbidden(by_category));
  CHECK(Json::parse(by_category.body)["detail"].get<std::string>().starts_with("查询参数 by"));
}

TEST_CASE("a key whose jurisdiction names nothing in the directory is logged when the keys are read") {
  KeyedHarness h;
  h.keys.add("typo", Role::kSupervisor, "place:jiyangg");
  h.save();
  int warned = 0;
  for (const auto& line : h.log_lines()) {
    if (line.value("msg", "") != "a key's jurisdiction names nothing in the directory in force") continue;
    ++warned;
    CHECK(line["key"] == h.keys.ids.at("typo"));
    CHECK(line["jurisdiction"] == "place:jiyangg");
  }
  CHECK(warned == 1);
}

TEST_CASE("a re-drawn grid moves what a key sees as soon as the directory is imported") {
  KeyedHarness h;
  h.keys.add("grid-2", Role::kSupervisor, "place:yangguang-2");
  h.save();
  const auto id = h.dispatched_case();
  CHECK(no_such_case(h.as("grid-2", "GET", "/v1/cases/" + id)));
  std::ifstream in(std::string(ESCALATOR_SOURCE_DIR) + "/org/sample-district.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = R"({"id": "yangguang-garden", "name": "阳光花园", "level": "compound", "parent": "yangguang-1"})";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(),
               R"({"id": "yangguang-garden", "name": "阳光花园", "level": "compound", "parent": "yangguang-2"})");
  const auto imported = h.as("admin", "POST", "/v1/directory/versions", text);
  REQUIRE_MESSAGE(imported.status == 201, imported.body);
  CHECK(h.as("grid-2", "GET", "/v1/cases/" + id).status == 200);
}

}  // namespace
}  // namespace escalator

namespace escalator {
namespace {

TEST_CASE("the OpenAPI document declares the bearer scheme and each operation's roles from the table") {
  const auto document = nlohmann::json::parse(http::openapi_document());
  CHECK(document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer");
  CHECK(document["security"] == nlohmann::json::parse(R"([{"apiKey": []}])"));
  for (const auto& operation : access::operations()) {
    std::string method(operation.method);
    std::transform(method.begin(), method.end(), method.begin(), [](char c) { return static_cast<char>(c - 'A' + 'a'); });
    const auto& declared = document["paths"][std::string(operation.path)][method];
    CAPTURE(operation.id);
    REQUIRE(declared.is_object());
    CHECK(declared["operationId"] == operation.id);
    if (operation.open) {
      CHECK(declared["security"] == nlohmann::json::array());
      continue;
    }
    nlohmann::json roles = nlohmann::json::object();
    for (Role role : access::kAllRoles) {
      const auto grant = operation.of(role);
      if (grant != Grant::kNone) roles[std::string(access::to_string(role))] = grant == Grant::kHeld ? "held" : "any";
    }
    CHECK(declared["x-roles"] == roles);
    CHECK(declared["responses"].contains("401"));
    CHECK(declared["responses"].contains("403"));
  }
  // And every operation of the document is in the table.
  std::size_t declared = 0;
  for (const auto& [path, methods] : document["paths"].items()) declared += methods.size();
  CHECK(declared == access::operations().size());
}

TEST_CASE("docs/access.md shows the table the service enforces") {
  std::ifstream in(std::string(ESCALATOR_SOURCE_DIR) + "/docs/access.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string wanted = "docs/access.md should hold, as it is:\n" + access::permissions_markdown();
  CHECK_MESSAGE(doc.find(access::permissions_markdown()) != std::string::npos, wanted);
}

}  // namespace
}  // namespace escalator
