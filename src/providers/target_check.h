#pragma once
// The private-target rule of spec §7: outbound HTTP (webhooks, WEBHOOK nodes, http.request
// actions) must not reach loopback, private or link-local hosts unless the server runs with
// --allow-private-targets. Used when a URL is saved (API) and again when it is sent.
#include <optional>
#include <string>

#include <boost/asio/ip/address.hpp>

namespace leadline::providers {

struct ParsedUrl {
  bool https = false;
  std::string host;  // without brackets for IPv6
  std::string port;
  std::string target;  // path and query, "/" at least
};

// http(s)://host[:port][/path]; nullopt for anything else.
std::optional<ParsedUrl> parse_url(const std::string& url);

// Loopback, unspecified, multicast, RFC 1918, link-local, CGNAT, IPv6 ULA (and v4-mapped).
bool is_private(const boost::asio::ip::address& address);

// Why the URL may not be a target: it is not an http(s) URL, or its host is or resolves to a
// private address. nullopt when it may be used. A host that does not resolve now is
// accepted (delivery checks again).
std::optional<std::string> private_target_problem(const std::string& url);

}  // namespace leadline::providers
