// The routes and docs/openapi.json agree both ways: every operation the
// document names is served, every route served is in the document, and each
// command's body schema names exactly the fields its route reads. (Every
// response the HTTP tests receive is also checked against the document:
// RoutesHarness::call.)
#include <doctest/doctest.h>

#include <set>

#include "command_body.hpp"
#include "http_support.hpp"
#include "escalator/http/openapi.hpp"

using namespace escalator;
using namespace escalator::testing;
using nlohmann::json;

namespace {

const json& schema_named(const json& ref) {
  const auto name = ref["$ref"].get<std::string>().substr(std::string("#/components/schemas/").size());
  return OpenApi::document().doc()["components"]["schemas"][name];
}

// A value of another JSON type than `schema` asks for.
json wrong_value(const json& schema) {
  if (schema.contains("$ref")) return 7;  // every referenced schema is an object
  const auto type = schema.value("type", "");
  return type == "string" || type == "array" || type == "object" ? json(7) : json("seven");
}

// A body with every field `schema` requires, each well typed, so that the
// route reads past them to the field under test.
json required_fields(const json& schema) {
  json body = json::object();
  for (const auto& field : schema.value("required", json::array())) {
    const auto name = field.get<std::string>();
    const auto& property = schema["properties"][name];
    if (property.contains("$ref")) {
      body[name] = required_fields(schema_named(property));
    } else if (property.value("type", "") == "boolean") {
      body[name] = true;
    } else if (property.value("type", "") == "array") {
      body[name] = json::array({"x"});
    } else {
      body[name] = name == "rating" ? "satisfied" : name == "extra" ? "2h" : name == "district_code" ? "370811" : "x";
    }
  }
  return body;
}

}  // namespace

TEST_CASE("TheServiceServesTheDocumentInDocs") {
  RoutesHarness h;
  const auto served = h.call("GET", "/v1/openapi.json");
  REQUIRE(served.status == 200);
  CHECK(json::parse(served.body) == OpenApi::document().doc());
  CHECK(json::parse(http::openapi_document()) == OpenApi::document().doc());
}

TEST_CASE("EveryOperationOfTheDocumentIsARouteOfTheService") {
  RoutesHarness h;
  const auto id = h.open();
  int operations = 0;
  for (const auto& [path, item] : OpenApi::document().doc()["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string target = path;
      if (const auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, id);
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(c));
      const auto r = h.call(upper, target, method == "post" ? "{}" : "");
      INFO(upper << " " << path);
      CHECK(r.status != 405);
      CHECK(r.body.find("route-not-found") == std::string::npos);
      ++operations;
    }
  }
  CHECK(operations == 23 + static_cast<int>(http::client_commands().size()));
}

TEST_CASE("EveryRouteOfTheServiceIsInTheDocument") {
  const auto& paths = OpenApi::document().doc()["paths"];
  std::set<std::pair<std::string, std::string>> served = {
      {"/v1/cases", "post"},  {"/v1/cases", "get"}, {"/v1/inbox", "get"}, {"/v1/cases/{id}", "get"},
      {"/v1/cases/{id}/history", "get"}, {"/v1/stats", "get"}, {"/v1/stats/cases", "get"}, {"/v1/admin/backups", "get"}, {"/v1/admin/backups", "post"},
      {"/v1/directory/versions", "get"}, {"/v1/directory/versions", "post"},
      {"/v1/calendar/imports", "get"}, {"/v1/calendar/imports", "post"},
      {"/v1/workflows", "get"}, {"/v1/workflows", "post"}, {"/v1/workflows/{id}", "get"},
      {"/v1/workflows/{id}/retire", "post"}, {"/v1/workflows/{id}/reinstate", "post"},
      {"/v1/openapi.json", "get"}, {"/v1/access-log", "get"}, {"/metrics", "get"}, {"/healthz", "get"}, {"/readyz", "get"}};
  for (auto name : http::client_commands()) served.insert({"/v1/cases/{id}/" + std::string(name), "post"});
  for (const auto& [path, method] : served) {
    INFO(method << " " << path);
    CHECK(paths.contains(path));
    CHECK(paths[path].contains(method));
  }
  std::size_t documented = 0;
  for (const auto& [path, item] : paths.items()) documented += item.size();
  CHECK(documented == served.size());
}

TEST_CASE("EachBodySchemaNamesExactlyTheFieldsItsRouteReads") {
  RoutesHarness h;
  const auto id = h.open();
  const auto& paths = OpenApi::document().doc()["paths"];
  for (const auto& [path, item] : paths.items()) {
    if (!item.contains("post") || !item["post"].contains("requestBody")) continue;
    // A workflow, directory or calendar file is checked whole, as `escalator
    // validate`, `import org` and `calendar import` check one
    // (workflow_routes_test.cpp, directory_routes_test.cpp): its faults are
    // the file's, not a field's.
    if (path == "/v1/workflows" || path == "/v1/directory/versions" || path == "/v1/calendar/imports") continue;
    const auto& body_schema = schema_named(item["post"]["requestBody"]["content"]["application/json"]["schema"]);
    std::string target = path;
    if (const auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, id);
    INFO("POST " << path);
    // Each documented field is read, with its type: not an unknown field.
    for (const auto& [field, schema] : body_schema["properties"].items()) {
      auto body = required_fields(body_schema);
      body[field] = wrong_value(schema);
      const auto r = h.call("POST", target, body.dump());
      INFO(field);
      CHECK(json_of(r).value("type", "").ends_with("/wrong-type"));
      CHECK(json_of(r).value("pointer", "") == "/" + field);
    }
    // A field the document does not name is refused.
    auto extra = required_fields(body_schema);
    extra["not_a_field"] = 1;
    const auto unknown = h.call("POST", target, extra.dump());
    CHECK(json_of(unknown).value("type", "").ends_with("/unknown-field"));
    CHECK(json_of(unknown).value("pointer", "") == "/not_a_field");
    // What the document requires is what the route misses first.
    const auto required = body_schema.value("required", json::array());
    const auto empty = h.call("POST", target, "{}");
    const auto pointer = json_of(empty).value("pointer", "");
    if (required.empty()) {
      CHECK(json_of(empty).value("type", "").find("/missing-field") == std::string::npos);
    } else {
      CHECK(json_of(empty).value("type", "").ends_with("/missing-field"));
      CHECK(std::find(required.begin(), required.end(), json(pointer.substr(1))) != required.end());
    }
  }
}

TEST_CASE("TheDocumentCheckRefusesAnswersTheDocumentDoesNotDescribe") {
  auto& document = OpenApi::document();
  http::Response wrong_body;
  wrong_body.body = R"({"case_id": 5, "version": 1, "state": "new", "duplicate": false, "events": []})";
  CHECK(!document.check("POST", "/v1/cases/370811-20251111-000001/accept", wrong_body).empty());
  http::Response undeclared;
  undeclared.status = 201;
  undeclared.body = "{}";
  CHECK(!document.check("GET", "/v1/cases/370811-20251111-000001", undeclared).empty());
  http::Response bare_problem;
  bare_problem.status = 404;
  bare_problem.content_type = "application/problem+json";
  bare_problem.body = R"({"title": "x"})";
  CHECK(!document.check("GET", "/nowhere", bare_problem).empty());
  CHECK(!document.check("DELETE", "/v1/cases", undeclared).empty());
}
