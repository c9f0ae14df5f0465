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

namespace leadline::providers {
namespace {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct ParsedUrl {
  bool https = false;
  std::string host;
  std::string port;
  std::string target;
  std::string origin() const { return (https ? "https://" : "http://") + host + ":" + port; }
};

std::optional<ParsedUrl> parse_url(const std::string& url) {
  ParsedUrl out;
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    out.https = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    out.host = std::string(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
  } else {
    out.host = std::string(authority);
    out.port = out.https ? "443" : "80";
  }
  if (out.host.size() > 2 && out.host.front() == '[')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (out.host.empty()) return std::nullopt;
  return out;
}

bool is_private(const asio::ip::address& address) {
  if (address.is_loopback() || address.is_unspecified() || address.is_multicast()) return true;
  if (address.is_v4()) {
    const auto b = address.to_v4().to_bytes();
    return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 169 && b[1] == 254) || b[0] == 0 || (b[0] == 100 && (b[1] & 0xC0) == 64);
  }
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return is_private(asio::ip::make_address_v4(asio::ip::v4_mapped, v6));
  const auto b = v6.to_bytes();
  return v6.is_link_local() || (b[0] & 0xFE) == 0xFC;
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
    tcp::resolver resolver(io_);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url_.host, url_.port, ec);
    if (ec) return "cannot resolve " + url_.host + ": " + ec.message();
    if (!allow_private_targets)
      for (const auto& entry : endpoints)
        if (is_private(entry.endpoint().address()))
          return "target " + url_.host + " is a private or loopback address";
    auto& lowest = tcp_stream();
    lowest.expires_at(deadline);
    lowest.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
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
    req.set(http::field::host, url_.host);
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
