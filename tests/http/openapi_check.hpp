// The OpenAPI document (docs/openapi.json) as the tests hold the service to
// it: every response a test receives is checked against the operation the
// document gives for its method and path, with valijson.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "exchange.hpp"
#include "schema_check.hpp"

namespace escalator::testing {

class OpenApi {
 public:
  // docs/openapi.json, read once.
  static OpenApi& document();

  const nlohmann::json& doc() const { return doc_; }
  // The document's path for a request's target ("/v1/cases/{id}/dispatch"
  // for "/v1/cases/370811-20251111-000001/dispatch?x=y"); none when it has none.
  std::optional<std::string> path_of(const std::string& target) const;
  // Why the response does not conform to the document; empty when it does.
  // A problem answers conform when their body is a Problem, whatever the
  // route; any other answer must be a status the operation declares, with a
  // body its schema accepts.
  std::string check(const std::string& method, const std::string& target, const http::Response& response);

 private:
  OpenApi();
  // Problems of `body` against the schema (a $ref into the document, or inline).
  std::string validate(const nlohmann::json& schema, const nlohmann::json& body);

  nlohmann::json doc_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<JsonSchema>> schemas_;  // by the schema's text
};

}  // namespace escalator::testing
