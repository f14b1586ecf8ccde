// libFuzzer target: bytes from the network as the service reads them. The
// input is tried as a whole HTTP request (Beast's parser with the service's
// limits, then its target's path and query, and the request id its headers
// give), and as a request body (the
// strict JSON reader, then every command's decoder, then the problem it
// answers with). Nothing may crash, hang or leak; refusals are fine.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "body_json.hpp"
#include "command_body.hpp"
#include "problem.hpp"
#include "request_log.hpp"
#include "request_target.hpp"

namespace bhttp = boost::beast::http;
using namespace escalator::http;

namespace {

void as_target(std::string_view target) {
  const auto question = target.find('?');
  (void)segments_of(target.substr(0, question));
  if (question == std::string_view::npos) return;
  Query query;
  if (auto problem = query_of(target.substr(question + 1), {"at"}, query)) (void)problem_response(*problem);
}

void as_request(std::string_view bytes) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (!parser.is_header_done()) return;
  as_target(std::string_view(parser.get().target()));
  Request request;
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers[std::move(name)] = std::string(field.value());
  }
  const auto id = request_id_of(request);
  // An id is never empty, and is what was sent only when that can be logged as it is.
  if (id.empty() || id.size() > 200) __builtin_trap();
}

void as_body(std::string_view bytes) {
  auto body = parse_body(bytes);
  if (!body) {
    (void)problem_response(body.error());
    return;
  }
  (void)decode_command("open", *body);
  for (auto name : client_commands()) {
    auto decoded = decode_command(name, *body);
    if (!decoded) (void)problem_response(decoded.error());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  as_request(bytes);
  as_body(bytes);
  as_target(bytes);
  return 0;
}
