#include "providers/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace leadline::providers {
namespace {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct ParsedUrl {
  bool https = false;
  std::string host;
  std::string port;
  std::string target;
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

template <typename Stream>
HttpResponse exchange(Stream& stream, const OutboundRequest& request, const ParsedUrl& url) {
  http::request<http::string_body> req{http::string_to_verb(request.method), url.target, 11};
  req.set(http::field::host, url.host);
  req.set(http::field::user_agent, "leadline");
  if (!request.body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : request.headers.items())
    if (value.is_string()) req.set(name, value.template get<std::string>());
  req.body() = request.body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(8u << 20);
  http::read(stream, buffer, parser);
  return HttpResponse{static_cast<int>(parser.get().result_int()), parser.get().body(), ""};
}
}  // namespace

HttpResponse send_request(const OutboundRequest& request) {
  auto url = parse_url(request.url);
  if (!url) return {0, "", "invalid URL: " + request.url};
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(url->host, url->port);
    if (!request.allow_private_targets)
      for (const auto& entry : endpoints)
        if (is_private(entry.endpoint().address()))
          return {0, "", "target " + url->host + " is a private or loopback address"};
    if (!url->https) {
      beast::tcp_stream stream(io);
      stream.expires_after(request.timeout);
      stream.connect(endpoints);
      auto response = exchange(stream, request, *url);
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      return response;
    }
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
    SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str());
    stream.set_verify_callback(asio::ssl::host_name_verification(url->host));
    beast::get_lowest_layer(stream).expires_after(request.timeout);
    beast::get_lowest_layer(stream).connect(endpoints);
    stream.handshake(asio::ssl::stream_base::client);
    auto response = exchange(stream, request, *url);
    beast::error_code ec;
    stream.shutdown(ec);
    return response;
  } catch (const std::exception& e) {
    return {0, "", e.what()};
  }
}

}  // namespace leadline::providers
