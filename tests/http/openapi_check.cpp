#include "openapi_check.hpp"

#include <fstream>
#include <sstream>

#include "request_target.hpp"

namespace escalator::testing {

OpenApi& OpenApi::document() {
  static OpenApi the;
  return the;
}

OpenApi::OpenApi() {
  std::ifstream in(ESCALATOR_SOURCE_DIR "/docs/openapi.json");
  std::stringstream text;
  text << in.rdbuf();
  doc_ = nlohmann::json::parse(text.str());
}

std::optional<std::string> OpenApi::path_of(const std::string& target) const {
  const auto segments = http::segments_of(target.substr(0, target.find('?')));
  if (!segments) return std::nullopt;
  for (const auto& [path, unused] : doc_["paths"].items()) {
    const auto template_segments = http::segments_of(path);
    if (!template_segments || template_segments->size() != segments->size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments->size() && matches; ++i) {
      const auto& t = (*template_segments)[i];
      matches = (t.size() > 2 && t.front() == '{' && t.back() == '}') || t == (*segments)[i];
    }
    if (matches) return path;
  }
  return std::nullopt;
}

std::string OpenApi::validate(const nlohmann::json& schema, const nlohmann::json& body) {
  nlohmann::json whole = schema;
  if (schema.contains("$ref")) {
    whole = doc_;  // refs are resolved within the document
    whole["$ref"] = schema["$ref"];
  }
  const std::string key = schema.dump();
  std::lock_guard lock(mutex_);
  auto& checker = schemas_[key];
  if (!checker) checker = std::make_unique<JsonSchema>(whole.dump());
  if (!checker->error().empty()) return "the document's schema " + key + " does not parse: " + checker->error();
  std::string problems;
  for (const auto& p : checker->check(body)) problems += p.pointer + ": " + p.reason + "; ";
  return problems;
}

std::string OpenApi::check(const std::string& method, const std::string& target, const http::Response& r) {
  const std::string where = method + " " + target + " -> " + std::to_string(r.status) + ": ";
  if (r.content_type == "application/problem+json") {
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_discarded()) return where + "a problem that is not JSON";
    auto problems = validate(nlohmann::json{{"$ref", "#/components/schemas/Problem"}}, body);
    return problems.empty() ? "" : where + problems;
  }
  const auto path = path_of(target);
  std::string verb = method;
  for (auto& c : verb) c = static_cast<char>(std::tolower(c));
  if (verb == "head") verb = "get";
  if (!path || !doc_["paths"][*path].contains(verb)) return where + "the document has no such operation";
  const auto& responses = doc_["paths"][*path][verb]["responses"];
  const auto status = std::to_string(r.status);
  if (!responses.contains(status)) return where + "the document does not declare this status";
  const auto& declared = responses[status];
  if (!declared.contains("content")) return r.body.empty() ? "" : where + "a body where the document declares none";
  auto media = r.content_type.substr(0, r.content_type.find(';'));
  if (!declared["content"].contains(media)) return where + "the document declares no " + media + " body";
  if (media != "application/json") return "";
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded()) return where + "a body that is not JSON";
  auto problems = validate(declared["content"][media]["schema"], body);
  return problems.empty() ? "" : where + problems;
}

}  // namespace escalator::testing
