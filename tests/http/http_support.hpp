// What the HTTP tests share: an engine on a manual clock with the sample
// directory, and the routes called without a socket.
#pragma once

#include <future>
#include <sstream>
#include <vector>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "escalator/engine/engine.hpp"
#include <doctest/doctest.h>

#include "exchange.hpp"
#include "openapi_check.hpp"
#include "routes.hpp"

namespace escalator::testing {

// The open body of a leak in a compound of the sample directory.
inline nlohmann::json leak_body() {
  return {{"request_type", "complaint"},
          {"channel", "hotline"},
          {"category", "物业/漏水"},
          {"location", {{"district_code", "370811"}, {"compound", "yangguang-garden"}, {"building", "3号楼"},
                        {"address", "3号楼2单元401"}}},
          {"reporter", {{"name", "张三"}, {"phone", "13800000000"}}},
          {"content", "楼上卫生间漏水"},
          {"first_contact", {{"unit", "hotline.12345"}, {"person", "operator-07"}}}};
}

struct RoutesHarness {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  // The engine's lines and the request log, as serve writes them.
  std::ostringstream log_text;
  std::shared_ptr<Logger> log = std::make_shared<JsonLinesLogger>(log_text, LogLevel::kDebug);
  std::unique_ptr<Engine> engine;
  std::unique_ptr<http::Routes> routes;

  explicit RoutesHarness(http::HttpLimits limits = {}, std::shared_ptr<CaseStore> store = nullptr,
                         std::filesystem::path backup_dir = "./data-backups") {
    EngineOptions options;
    options.clock = clock;
    options.store = std::move(store);
    options.logger = log;
    engine = std::move(*Engine::open(std::move(options)));
    http::HttpOptions http_options;
    http_options.limits = limits;
    http_options.backup_dir = backup_dir;
    routes = std::make_unique<http::Routes>(*engine, http_options, log);
  }

  // Every line logged so far, parsed.
  std::vector<nlohmann::json> log_lines() const {
    std::vector<nlohmann::json> lines;
    std::istringstream in(log_text.str());
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  http::Response call(std::string method, std::string target, std::string body = {},
                      std::map<std::string, std::string> headers = {}) {
    http::Request request{std::move(method), std::move(target), std::move(headers), std::move(body)};
    if (!request.body.empty() && !request.headers.contains("content-type"))
      request.headers["content-type"] = "application/json";
    auto answered = std::make_shared<std::promise<http::Response>>();
    auto response = answered->get_future();
    routes->handle(request, [answered](http::Response r) { answered->set_value(std::move(r)); });
    auto got = response.get();
    // Every answer a test sees is held to the document.
    const auto nonconforming = OpenApi::document().check(request.method, request.target, got);
    CHECK_MESSAGE(nonconforming.empty(), nonconforming);
    return got;
  }

  // A new case's id, opened by POST /v1/cases with `body`.
  std::string open(const nlohmann::json& body = leak_body()) {
    auto response = call("POST", "/v1/cases", body.dump());
    return nlohmann::json::parse(response.body).value("case_id", "");
  }
};

inline nlohmann::json json_of(const http::Response& response) { return nlohmann::json::parse(response.body); }

inline std::string header_of(const http::Response& response, const std::string& name) {
  for (const auto& [n, v] : response.headers) {
    if (n == name) return v;
  }
  return {};
}

// The problem's status, type slug and pointer, as a client reads them.
struct Seen {
  int status;
  std::string slug;
  std::string pointer;
};
inline Seen problem_of(const http::Response& r) {
  auto body = json_of(r);
  const std::string type = body.value("type", "");
  CHECK(r.content_type == "application/problem+json");
  CHECK(body.value("status", 0) == r.status);
  CHECK(!body.value("title", "").empty());
  CHECK(!body.value("detail", "").empty());
  return {r.status, type.substr(type.rfind('/') + 1), body.value("pointer", "")};
}

}  // namespace escalator::testing
