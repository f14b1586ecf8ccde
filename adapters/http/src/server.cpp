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
#include <boost/beast/ssl.hpp>

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

// What a stop asks of every session, whatever stream it reads.
class Connection {
 public:
  virtual ~Connection() = default;
  // Stops after the request in hand, if any, is answered.
  virtual void shut() = 0;
};

// What every session shares with the service: the routes, the limits and
// the set of sessions a stop must close.
struct Shared {
  Routes& routes;
  const HttpLimits& limits;
  asio::io_context& io;
  std::mutex mutex;
  std::set<std::shared_ptr<Connection>> sessions;
  bool stopping = false;  // guarded by mutex
};

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection, over plain TCP (beast::tcp_stream) or TLS (TlsStream): the
// same reading, timing and answering either way, a TLS handshake first and
// its close_notify last.
template <class Stream>
class Session : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, Shared& shared, bool over_limit)
      : stream_(std::move(stream)), request_timer_(stream_.get_executor()), shared_(shared), over_limit_(over_limit) {}

  void start() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (std::is_same_v<Stream, TlsStream>) {
        // A client that never finishes its handshake holds its connection
        // only as long as it would hold an unfinished request.
        beast::get_lowest_layer(self->stream_).expires_after(self->shared_.limits.request_timeout);
        self->stream_.async_handshake(asio::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->drop();
          self->begin();
        });
      } else {
        self->begin();
      }
    });
  }

  void shut() override {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      self->closing_ = true;
      if (!self->handling_) self->close();
    });
  }

 private:
  tcp::socket& socket() { return beast::get_lowest_layer(stream_).socket(); }

  void begin() {
    {
      if (over_limit_) {
        closing_ = true;
        shared_.routes.metrics().connection_refused();
        return send(problem_response(
            {ProblemKind::kOverloaded, "同时打开的连接已达上限 " + std::to_string(shared_.limits.max_connections)}));
      }
      read_header();
    }
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(shared_.limits.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(shared_.limits.max_body_bytes);
    // Not the stream's own expiry, which closes the socket: the client is
    // told 408 when it has begun a request.
    beast::get_lowest_layer(stream_).expires_never();
    timed_out_ = false;
    request_timer_.expires_after(shared_.limits.request_timeout);
    request_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;  // the request arrived, or the session ended
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket().cancel(ignored);
    });
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
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
                                [self = this->shared_from_this(), continue_response](beast::error_code ec, std::size_t) {
                                  if (ec) return self->close();
                                  self->read_body();
                                });
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
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
    shared_.routes.handle(std::move(request), [self = this->shared_from_this(), work = std::move(work)](Response response) mutable {
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
    beast::get_lowest_layer(stream_).expires_after(shared_.limits.request_timeout);
    bhttp::async_write(stream_, *message, [self = this->shared_from_this(), message](beast::error_code ec, std::size_t) {
      self->handling_ = false;
      if (ec || !message->keep_alive() || self->closing_) return self->close();
      self->read_header();
    });
  }

  void close() {
    request_timer_.cancel();
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // close_notify, so that the client knows the answer was whole; a
      // client that does not answer it is not waited for long.
      if (!shutting_down_) {
        shutting_down_ = true;
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(1));
        return stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->drop(); });
      }
      return;
    }
    drop();
  }

  // Closes the socket at once and forgets the session.
  void drop() {
    request_timer_.cancel();
    beast::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this->shared_from_this());
    shared_.routes.connections_open(static_cast<int>(shared_.sessions.size()));
  }

  Stream stream_;
  asio::steady_timer request_timer_;
  bool shutting_down_ = false;  // TLS: close_notify sent
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
        std::lock_guard lock(shared.mutex);
        if (shared.stopping) return;
        const bool over = static_cast<int>(shared.sessions.size()) >= options.limits.max_connections;
        const auto begin = [&](auto session) {
          shared.sessions.insert(session);
          routes.connections_open(static_cast<int>(shared.sessions.size()));
          session->start();  // dispatched to the session's strand
        };
        if (tls) {
          begin(std::make_shared<Session<TlsStream>>(TlsStream(beast::tcp_stream(std::move(socket)), *tls), shared, over));
        } else {
          begin(std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), shared, over));
        }
      }
      accept();
    });
  }

  HttpOptions options;
  Routes routes;
  std::optional<asio::ssl::context> tls;  // when the service ends TLS itself
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
  if (options.tls_certificate.empty() != options.tls_private_key.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "http.tls: give both the certificate and the private key, or neither");
  }
  // Beyond loopback a caller must prove who it is, and its key must not
  // cross the network in clear (docs/access.md, "Beyond loopback").
  if (!address.is_loopback() && (options.keys_file.empty() || options.tls_certificate.empty())) {
    return fail(ErrorCode::kInvalidArgument,
                "http.address: " + options.address +
                    " is not a loopback address; the service listens beyond loopback only with a keys file "
                    "(http.keys_file) and TLS (http.tls), and otherwise on 127.0.0.1 or ::1 behind a reverse "
                    "proxy on the same host");
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
  if (!impl->options.tls_certificate.empty()) {
    // TLS 1.2 and 1.3 only, with OpenSSL's default ciphers for them.
    auto& tls = impl->tls.emplace(asio::ssl::context::tls_server);
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                    asio::ssl::context::single_dh_use, ec);
    tls.use_certificate_chain_file(impl->options.tls_certificate.string(), ec);
    if (ec) {
      return fail(ErrorCode::kInvalidArgument, "http.tls.certificate: " + impl->options.tls_certificate.string() +
                                                   ": not a PEM certificate chain OpenSSL can read: " + ec.message());
    }
    tls.use_private_key_file(impl->options.tls_private_key.string(), asio::ssl::context::pem, ec);
    if (ec) {
      return fail(ErrorCode::kInvalidArgument, "http.tls.private_key: " + impl->options.tls_private_key.string() +
                                                   ": not a PEM private key OpenSSL can read, or not the certificate's: " +
                                                   ec.message());
    }
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
    std::set<std::shared_ptr<Connection>> sessions;
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
