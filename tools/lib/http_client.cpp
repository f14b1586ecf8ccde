#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <iostream>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace escalator::tools {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

Result<ServerUrl> parse_server_url(std::string_view url) {
  ServerUrl server;
  server.text = std::string(url);
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return fail(ErrorCode::kInvalidArgument,
                "--server: expected http://HOST[:PORT], such as http://127.0.0.1:8345, but got '" +
                    std::string(url) + "'" +
                    (url.starts_with("https://") ? " (the service speaks plain HTTP on loopback; a proxy in front "
                                                   "of it speaks TLS)"
                                                 : ""));
  }
  auto rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    server.prefix = std::string(rest.substr(slash));
    while (!server.prefix.empty() && server.prefix.back() == '/') server.prefix.pop_back();
  }
  const auto colon = authority.rfind(':');
  const bool bracketed = authority.starts_with('[');
  if (colon != std::string_view::npos && (!bracketed || authority.find(']') < colon)) {
    server.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
    const bool digits = !server.port.empty() && server.port.size() <= 5 &&
                        std::all_of(server.port.begin(), server.port.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || std::stoul(server.port) == 0 || std::stoul(server.port) > 65535) {
      return fail(ErrorCode::kInvalidArgument, "--server: '" + server.port + "' is not a port (1 to 65535)");
    }
  }
  if (bracketed && authority.size() > 2 && authority.back() == ']') authority = authority.substr(1, authority.size() - 2);
  if (authority.empty()) return fail(ErrorCode::kInvalidArgument, "--server: no host in '" + std::string(url) + "'");
  server.host = std::string(authority);
  return server;
}

Result<HttpAnswer> http_exchange(const ServerUrl& server, std::string_view method, const std::string& target,
                                 const std::string& body, const HttpHeaders& headers, std::chrono::seconds timeout) {
  const auto unreachable = [&](const std::string& why) {
    return fail(ErrorCode::kUnavailable, "cannot reach the service at " + server.text + ": " + why);
  };
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    beast::error_code ec;
    const auto found = resolver.resolve(server.host, server.port, ec);
    if (ec) return unreachable(ec.message());
    stream.expires_after(timeout);
    stream.connect(found, ec);
    if (ec) return unreachable(ec.message());
    bhttp::request<bhttp::string_body> request{bhttp::string_to_verb(method), server.prefix + target, 11};
    request.set(bhttp::field::host, server.host);
    request.set(bhttp::field::user_agent, "escalator-cli");
    request.set(bhttp::field::accept, "application/json");
    // A service with keys (docs/access.md) is asked with the key the
    // environment holds, so that it never stands on a command line.
    if (const char* key = std::getenv("ESCALATOR_API_KEY"); key != nullptr && *key != '\0') {
      request.set(bhttp::field::authorization, std::string("Bearer ") + key);
    }
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    bhttp::write(stream, request, ec);
    if (ec) return unreachable(ec.message());
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::uint64_t{256} << 20);
    bhttp::read(stream, buffer, parser, ec);
    if (ec) return unreachable(ec == beast::error::timeout ? "no answer within " + std::to_string(timeout.count()) + " s"
                                                           : ec.message());
    auto& response = parser.get();
    HttpAnswer answer;
    answer.status = response.result_int();
    answer.content_type = std::string(response[bhttp::field::content_type]);
    answer.body = std::move(response.body());
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    return answer;
  } catch (const std::exception& e) {
    return unreachable(e.what());
  }
}

std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int print_refusal(const std::string& command, const HttpAnswer& answer) {
  const auto problem = nlohmann::json::parse(answer.body, nullptr, false);
  std::cerr << command << ": " << answer.status;
  if (problem.is_object()) {
    std::cerr << " " << problem.value("title", "") << ": " << problem.value("detail", "");
    if (!problem.value("pointer", "").empty()) std::cerr << " (at " << problem["pointer"].get<std::string>() << ")";
    if (!problem.value("engine_detail", "").empty()) std::cerr << "\n  engine: " << problem["engine_detail"].get<std::string>();
    if (problem.contains("errors") && problem["errors"].is_array()) {
      for (const auto& fault : problem["errors"]) {
        if (!fault.is_object()) continue;
        const std::string pointer = fault.value("pointer", "");
        std::cerr << "\n  line " << fault.value("line", 1) << ": " << (pointer.empty() ? "" : pointer + ": ")
                  << fault.value("detail", "");
      }
    }
  } else {
    std::cerr << " " << answer.body;
  }
  std::cerr << "\n";
  return 1;
}

}  // namespace escalator::tools
