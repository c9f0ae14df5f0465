#pragma once
// The private-target rule of spec §7: outbound HTTP (webhooks, WEBHOOK nodes, http.request
// actions) must not reach loopback, private, link-local or otherwise special-purpose hosts
// unless the server runs with --allow-private-targets. When a URL is saved (API) only what needs
// no DNS is checked (literal addresses, "localhost"), so an API thread never waits on a
// resolver; when it is sent, the host is resolved within the request's deadline, every address
// is checked, and the connection goes only to those checked addresses (no DNS rebinding).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace leadline::providers {

struct ParsedUrl {
  bool https = false;
  std::string host;  // without brackets for IPv6
  std::string port;
  std::string target;  // path and query, "/" at least; the fragment is dropped

  // "https://host:443", IPv6 hosts in brackets: one key per server.
  std::string origin() const;
  // The Host header: the host (in brackets for IPv6), with the port unless it is the default.
  std::string host_header() const;
};

// http(s)://[user@]host[:port][/path][?query][#fragment] with a reg-name, IPv4 or bracketed IPv6
// host; nullopt for anything else, and for URLs with spaces or control characters.
std::optional<ParsedUrl> parse_url(std::string_view url);

// Every special-purpose range of the IANA IPv4 and IPv6 registries that is not globally
// reachable, multicast, and the IPv6 forms that embed an IPv4 address (v4-mapped, NAT64,
// 6to4) when the embedded address is one of those.
bool is_private(const boost::asio::ip::address& address);

// Why the URL may not be a target, checked without DNS: it is not an http(s) URL, or its host
// is "localhost" or a literal address (in any form inet_aton reads, such as 127.1) that is
// private. nullopt when it may be saved; a host name is checked again when sent.
std::optional<std::string> private_target_problem(const std::string& url);

// The send-time check: resolves `url.host` before `deadline` (a resolver that hangs does not
// hold the caller past it) and refuses the target if any address is private, unless
// `allow_private`. The endpoints to connect to, or an error text.
struct ResolvedTarget {
  boost::asio::ip::tcp::resolver::results_type endpoints;
  std::string error;  // empty on success
};
ResolvedTarget resolve_target(const ParsedUrl& url, std::chrono::steady_clock::time_point deadline,
                              bool allow_private);

}  // namespace leadline::providers
