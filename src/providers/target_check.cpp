#include "providers/target_check.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace leadline::providers {
namespace asio = boost::asio;

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
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);  // user:password@ is not part of the host
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return std::nullopt;
    if (!after.empty()) port = after.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (port.empty()) {
    out.port = out.https ? "443" : "80";
  } else {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    out.port = std::string(port);
  }
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

std::optional<std::string> private_target_problem(const std::string& url) {
  auto parsed = parse_url(url);
  if (!parsed) return "must be an http:// or https:// URL with a host";
  const std::string message =
      "host " + parsed->host +
      " is a loopback, private or link-local address (the server does not run with "
      "--allow-private-targets)";
  boost::system::error_code ec;
  const auto literal = asio::ip::make_address(parsed->host, ec);
  if (!ec) return is_private(literal) ? std::optional(message) : std::nullopt;
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(parsed->host, parsed->port, ec);
  if (ec) return std::nullopt;
  for (const auto& entry : endpoints)
    if (is_private(entry.endpoint().address())) return message;
  return std::nullopt;
}

}  // namespace leadline::providers
