// The listening side of HttpService, after Boost.Beast's
// example/http/server/async: one session per connection on its own strand,
// a parser whose limits are set before it reads, a timeout on every read and
// write, and nothing that blocks an I/O thread: a command's answer comes
// back from the engine and is posted to its session. The only translation
// unit that includes Beast.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "escalator/http/service.hpp"
#include "problem.hpp"
#include "routes.hpp"

namespace escalator::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session;

// What every session shares with the service: the routes, the limits and
// the set of sessions a stop must close.
struct Shared {
  Routes& routes;
  const HttpLimits& limits;
  asio::io_context& io;
  std::mutex mutex;
  std::set<std::shared_ptr<Session>> sessions;
  bool stopping = false;  // guarded by mutex
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared, bool over_limit)
      : stream_(std::move(socket)), request_timer_(stream_.get_executor()), shared_(shared), over_limit_(over_limit) {}

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->over_limit_) {
        self->closing_ = true;
        self->shared_.routes.metrics().connection_refused();
        return self->send(problem_response(
            {ProblemKind::kOverloaded,
             "同时打开的连接已达上限 " + std::to_string(self->shared_.limits.max_connections)}));
      }
      self->read_header();
    });
  }

  // Stops after the request in hand, if any, is answered.
  void shut() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      if (!self->handling_) self->close();
    });
  }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(shared_.limits.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(shared_.limits.max_body_bytes);
    // Not the stream's own expiry, which closes the socket: the client is
    // told 408 when it has begun a request.
    stream_.expires_never();
    timed_out_ = false;
    request_timer_.expires_after(shared_.limits.request_timeout);
    request_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // the request arrived, or the session ended
      self->timed_out_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               self->on_header(ec);
                             });
  }

  void on_header(beast::error_code ec) {
    if (ec) return refuse_read(ec);
    handling_ = true;
    auto& request = parser_->get();
    // curl and others wait for this before a large body.
    if (beast::iequals(request[bhttp::field::expect], "100-continue")) {
      if (parser_->content_length() && *parser_->content_length() > shared_.limits.max_body_bytes)
        return refuse_read(bhttp::error::body_limit);
      auto continue_response = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      return bhttp::async_write(stream_, *continue_response,
                                [self = shared_from_this(), continue_response](beast::error_code ec, std::size_t) {
                                  if (ec) return self->close();
                                  self->read_body();
                                });
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->refuse_read(ec);
      self->request_timer_.cancel();
      self->handle();
    });
  }

  // A request that could not be read: answered when the client can be told
  // why, and the connection closed either way.
  void refuse_read(beast::error_code ec) {
    request_timer_.cancel();
    closing_ = true;
    handling_ = true;
    if (timed_out_) {
      // Nothing read yet: an idle kept-alive connection, closed quietly.
      if (!parser_ || !parser_->got_some()) return close();
      return send(shared_.routes.unread(problem_response({ProblemKind::kRequestTimeout,
                                    "请求未在 " + std::to_string(shared_.limits.request_timeout.count()) +
                                        " 毫秒内送达"})));
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec == bhttp::error::body_limit) {
      return send(shared_.routes.unread(problem_response({ProblemKind::kBodyTooLarge, "请求体超过上限 " +
                                                                    std::to_string(shared_.limits.max_body_bytes) +
                                                                    " 字节"})));
    }
    if (ec == bhttp::error::header_limit) {
      return send(shared_.routes.unread(problem_response({ProblemKind::kHeaderTooLarge, "请求行与请求头超过上限 " +
                                                                      std::to_string(shared_.limits.max_header_bytes) +
                                                                      " 字节"})));
    }
    send(shared_.routes.unread(problem_response({ProblemKind::kBadRequest, "HTTP 请求格式不正确：" + ec.message()})));
  }

  void handle() {
    const auto& message = parser_->get();
    head_ = message.method() == bhttp::verb::head;
    keep_alive_ = message.keep_alive();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      // A field given twice reads as one list (RFC 9110, 5.3): an
      // X-Forwarded-For split over two lines keeps both.
      auto [at, added] = request.headers.try_emplace(std::move(name), field.value());
      if (!added) at->second += ", " + std::string(field.value());
    }
    beast::error_code ignored;
    request.peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ignored).address().to_string(ignored);
    request.body = std::move(parser_->get().body());
    // The answer may come from the engine's threads; the work guard keeps
    // the I/O threads running until it is posted here.
    auto work = asio::make_work_guard(shared_.io);
    shared_.routes.handle(std::move(request), [self = shared_from_this(), work = std::move(work)](Response response) mutable {
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->send(std::move(response));
      });
      work.reset();
    });
  }

  void send(Response response) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    if (!response.content_type.empty()) message->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->keep_alive(keep_alive_ && !closing_);
    message->body() = std::move(response.body);
    message->prepare_payload();
    if (head_) message->body().clear();  // the length stays that of the GET
    stream_.expires_after(shared_.limits.request_timeout);
    bhttp::async_write(stream_, *message, [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
      self->handling_ = false;
      if (ec || !message->keep_alive() || self->closing_) return self->close();
      self->read_header();
    });
  }

  void close() {
    request_timer_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(shared_from_this());
    shared_.routes.connections_open(static_cast<int>(shared_.sessions.size()));
  }

  beast::tcp_stream stream_;
  asio::steady_timer request_timer_;
  bool timed_out_ = false;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool over_limit_ = false;
  bool closing_ = false;
  bool handling_ = false;  // a request is read and not yet answered
  bool keep_alive_ = true;
  bool head_ = false;
};

}  // namespace

struct HttpService::Impl {
  Impl(Engine& engine, HttpOptions o, std::shared_ptr<Logger> log)
      : options(std::move(o)),
        routes(engine, options, options.request_log ? std::move(log) : nullptr),
        io(options.io_threads),
        acceptor(asio::make_strand(io)),
        shared{routes, options.limits, io, {}, {}, false} {}

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        std::shared_ptr<Session> session;
        {
          std::lock_guard lock(shared.mutex);
          if (shared.stopping) return;
          const bool over = static_cast<int>(shared.sessions.size()) >= options.limits.max_connections;
          session = std::make_shared<Session>(std::move(socket), shared, over);
          shared.sessions.insert(session);
          routes.connections_open(static_cast<int>(shared.sessions.size()));
        }
        session->start();
      }
      accept();
    });
  }

  HttpOptions options;
  Routes routes;
  asio::io_context io;
  tcp::acceptor acceptor;
  Shared shared;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::once_flag stopped;
};

Result<void> check_http_options(const HttpOptions& options) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) {
    return fail(ErrorCode::kInvalidArgument,
                "http.address: expected an IP address such as 127.0.0.1, but got '" + options.address + "'");
  }
  // Keys alone do not make a service fit for a network: until it limits
  // each key's rate and serves TLS itself, a reverse proxy on the same host
  // faces the network (docs/access.md, "Behind a reverse proxy").
  if (!address.is_loopback()) {
    return fail(ErrorCode::kInvalidArgument,
                "http.address: " + options.address +
                    " is not a loopback address; the service listens on loopback only (127.0.0.1 or ::1), "
                    "behind a reverse proxy on the same host for callers elsewhere");
  }
  if (options.io_threads < 1) return fail(ErrorCode::kInvalidArgument, "http.io_threads: must be at least 1");
  if (auto proxies = access::AddressSet::parse(options.trusted_proxies); !proxies) {
    return fail(ErrorCode::kInvalidArgument, "http.trusted_proxies: " + proxies.error().message);
  }
  const auto& l = options.limits;
  if (!(l.requests_per_key_per_second > 0) || !(l.requests_per_key_burst >= 1) || !(l.bad_keys_per_address_per_minute >= 1)) {
    return fail(ErrorCode::kInvalidArgument,
                "http.limits: requests_per_key_per_second must be above 0, requests_per_key_burst and "
                "bad_keys_per_address_per_minute at least 1");
  }
  return {};
}

Result<std::unique_ptr<HttpService>> HttpService::start(Engine& engine, HttpOptions options,
                                                        std::shared_ptr<Logger> log) {
  if (auto checked = check_http_options(options); !checked) return tl::unexpected(checked.error());
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  auto impl = std::make_unique<Impl>(engine, std::move(options), std::move(log));
  if (!impl->options.keys_file.empty()) {
    if (auto keys = impl->routes.load_keys(impl->options.keys_file); !keys) return tl::unexpected(keys.error());
  }
  const tcp::endpoint endpoint(address, impl->options.port);
  auto& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) impl->port = acceptor.local_endpoint(ec).port();
  if (ec) {
    return fail(ErrorCode::kUnavailable, "http: cannot listen on " + impl->options.address + ":" +
                                             std::to_string(impl->options.port) + ": " + ec.message());
  }
  impl->accept();
  for (int i = 0; i < impl->options.io_threads; ++i) {
    impl->threads.emplace_back([io = &impl->io] {
      pthread_setname_np(pthread_self(), "esc-http");
      io->run();
    });
  }
  return std::unique_ptr<HttpService>(new HttpService(std::move(impl)));
}

HttpService::HttpService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpService::~HttpService() { stop(); }

std::uint16_t HttpService::port() const { return impl_->port; }

Result<std::size_t> HttpService::reload_keys() {
  if (impl_->options.keys_file.empty()) {
    return fail(ErrorCode::kFailedPrecondition, "http.keys_file: the service was started without a keys file");
  }
  return impl_->routes.load_keys(impl_->options.keys_file);
}

void HttpService::timer_round(const std::vector<Result<Decision>>& decided) {
  impl_->routes.metrics().timer_round(decided);
}

void HttpService::stop() {
  std::call_once(impl_->stopped, [this] {
    auto& impl = *impl_;
    impl.routes.stopping();
    asio::dispatch(impl.acceptor.get_executor(), [&impl] {
      beast::error_code ignored;
      impl.acceptor.close(ignored);
    });
    std::set<std::shared_ptr<Session>> sessions;
    {
      std::lock_guard lock(impl.shared.mutex);
      impl.shared.stopping = true;
      sessions = impl.shared.sessions;
    }
    for (const auto& session : sessions) session->shut();
    // The threads return once no session and no answer awaited is left.
    for (auto& thread : impl.threads) thread.join();
    impl.routes.finish_admin_work();
  });
}

}  // namespace escalator::http
