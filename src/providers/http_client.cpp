#include "providers/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "providers/target_check.h"

namespace leadline::providers {
namespace {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// CR, LF or another control character in a header would end the line early and let the rest
// pass as headers of its own (a tab is allowed inside a value).
std::optional<std::string> header_problem(const Json& headers) {
  for (const auto& [name, value] : headers.items()) {
    if (!value.is_string()) continue;  // not sent
    bool bad = name.empty();
    for (unsigned char c : name) bad = bad || c <= 0x20 || c >= 0x7F || c == ':';
    for (unsigned char c : value.get_ref<const std::string&>())
      bad = bad || (c < 0x20 && c != '\t') || c == 0x7F;
    if (bad) return "header " + name + " has a control character or an invalid name";
  }
  return std::nullopt;
}

asio::ssl::context make_tls_context() {
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(asio::ssl::verify_peer);
  return ctx;
}

// One connection with its own io_context, so blocking callers on many threads each drive their
// own I/O, while async operations let the stream's deadline cut off a silent peer.
class Connection {
 public:
  Connection(const ParsedUrl& url, asio::ssl::context& tls) : url_(url) {
    if (url.https) {
      tls_.emplace(io_, tls);
    } else {
      plain_.emplace(io_);
    }
  }

  // Resolves, checks the target, connects (and handshakes); an error text on failure.
  std::optional<std::string> open(Clock::time_point deadline, bool allow_private_targets) {
    // Connects only to the addresses just checked: a second look-up could answer otherwise.
    auto target = resolve_target(url_, deadline, allow_private_targets);
    if (!target.error.empty()) return target.error;
    beast::error_code ec;
    auto& lowest = tcp_stream();
    lowest.expires_at(deadline);
    lowest.async_connect(target.endpoints,
                         [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec) return describe(ec, "connect");
    lowest.socket().set_option(tcp::no_delay(true), ec);
    if (tls_) {
      SSL_set_tlsext_host_name(tls_->native_handle(), url_.host.c_str());
      tls_->set_verify_callback(asio::ssl::host_name_verification(url_.host));
      tls_->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
      run();
      if (ec) return describe(ec, "TLS handshake");
    }
    return std::nullopt;
  }

  // Sends the request and reads the answer. `reusable` tells whether the connection may carry
  // another request; `stale` that it failed before any answer byte (a kept connection the
  // server had closed), so sending again on a new connection is safe.
  HttpResponse exchange(const OutboundRequest& request, Clock::time_point deadline, bool& reusable,
                        bool& stale) {
    http::request<http::string_body> req{http::string_to_verb(request.method), url_.target, 11};
    req.set(http::field::host, url_.host_header());
    req.set(http::field::user_agent, "leadline");
    if (!request.body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : request.headers.items())
      if (value.is_string()) req.set(name, value.get<std::string>());
    req.body() = request.body;
    req.keep_alive(true);
    req.prepare_payload();
    tcp_stream().expires_at(deadline);
    beast::error_code ec;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(8u << 20);
    visit([&](auto& stream) {
      http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
      run();
      if (!ec)
        http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
      run();
    });
    reusable = false;
    stale = ec && !parser.got_some() && ec != beast::error::timeout;
    if (ec) return {0, "", describe(ec, "request")};
    reusable = parser.get().keep_alive();
    return {static_cast<int>(parser.get().result_int()), parser.get().body(), ""};
  }

  void close() {
    beast::error_code ec;
    tcp_stream().socket().shutdown(tcp::socket::shutdown_both, ec);
  }

 private:
  beast::tcp_stream& tcp_stream() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }
  template <typename F>
  void visit(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(*plain_);
    }
  }
  void run() {
    io_.restart();
    io_.run();
  }
  static std::string describe(const beast::error_code& ec, const char* what) {
    if (ec == beast::error::timeout) return std::string(what) + " timed out";
    return std::string(what) + " failed: " + ec.message();
  }

  ParsedUrl url_;
  asio::io_context io_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
};

asio::ssl::context& shared_tls_context() {
  static asio::ssl::context ctx = make_tls_context();
  return ctx;
}
}  // namespace

HttpResponse send_request(const OutboundRequest& request) {
  auto url = parse_url(request.url);
  if (!url) return {0, "", "invalid URL: " + request.url};
  if (auto problem = header_problem(request.headers)) return {0, "", *problem};
  try {
    const auto deadline = Clock::now() + request.timeout;
    Connection connection(*url, shared_tls_context());
    if (auto error = connection.open(deadline, request.allow_private_targets))
      return {0, "", *error};
    bool reusable = false, stale = false;
    auto response = connection.exchange(request, deadline, reusable, stale);
    connection.close();
    return response;
  } catch (const std::exception& e) {
    return {0, "", e.what()};
  }
}

struct HttpClient::Pool {
  std::mutex mutex;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;  // by origin
  static constexpr std::size_t kMaxIdlePerOrigin = 64;

  std::unique_ptr<Connection> take(const std::string& origin) {
    std::lock_guard lock(mutex);
    auto it = idle.find(origin);
    if (it == idle.end() || it->second.empty()) return nullptr;
    auto connection = std::move(it->second.back());
    it->second.pop_back();
    return connection;
  }
  void give_back(const std::string& origin, std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    auto& list = idle[origin];
    if (list.size() < kMaxIdlePerOrigin) list.push_back(std::move(connection));
  }
};

HttpClient::HttpClient() : pool_(std::make_unique<Pool>()) {}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const OutboundRequest& request) {
  auto url = parse_url(request.url);
  if (!url) return {0, "", "invalid URL: " + request.url};
  if (auto problem = header_problem(request.headers)) return {0, "", *problem};
  const std::string origin = url->origin();
  try {
    const auto deadline = Clock::now() + request.timeout;
    // A kept connection skips the target check made when it was opened; a pool is per
    // process and the check depends only on the origin, which does not change.
    for (int round = 0; round < 2; ++round) {
      auto connection = round == 0 ? pool_->take(origin) : nullptr;
      const bool kept = connection != nullptr;
      if (!connection) {
        connection = std::make_unique<Connection>(*url, shared_tls_context());
        if (auto error = connection->open(deadline, request.allow_private_targets))
          return {0, "", *error};
      }
      bool reusable = false, stale = false;
      auto response = connection->exchange(request, deadline, reusable, stale);
      if (kept && stale) continue;  // the server had closed it: once more on a new one
      if (reusable) pool_->give_back(origin, std::move(connection));
      return response;
    }
    return {0, "", "request failed"};
  } catch (const std::exception& e) {
    return {0, "", e.what()};
  }
}

}  // namespace leadline::providers
