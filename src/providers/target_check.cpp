#include "providers/target_check.h"
#include "util/text.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>

namespace leadline::providers {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// RFC 6761: "localhost" and every name under it are loopback, whatever DNS would say.
bool is_localhost_name(std::string host) {
  host = lower(std::move(host));
  if (host.ends_with('.')) host.pop_back();
  return host == "localhost" || host.ends_with(".localhost");
}

bool in_v4(std::uint32_t address, std::uint32_t network, int prefix) {
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (address & mask) == network;
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

bool is_private_v4(const asio::ip::address_v4& address) {
  struct Range {
    std::uint32_t network;
    int prefix;
  };
  // IANA IPv4 Special-Purpose Address Registry, the blocks not globally reachable, plus the
  // deprecated 6to4 relay anycast and multicast.
  static constexpr std::array<Range, 16> kRanges{{
      {v4(0, 0, 0, 0), 8},          // "this network"
      {v4(10, 0, 0, 0), 8},         // private
      {v4(100, 64, 0, 0), 10},      // shared address space (CGNAT)
      {v4(127, 0, 0, 0), 8},        // loopback
      {v4(169, 254, 0, 0), 16},     // link-local (cloud metadata services)
      {v4(172, 16, 0, 0), 12},      // private
      {v4(192, 0, 0, 0), 24},       // IETF protocol assignments
      {v4(192, 0, 2, 0), 24},       // TEST-NET-1
      {v4(192, 88, 99, 0), 24},     // 6to4 relay anycast (deprecated)
      {v4(192, 168, 0, 0), 16},     // private
      {v4(198, 18, 0, 0), 15},      // benchmarking
      {v4(198, 51, 100, 0), 24},    // TEST-NET-2
      {v4(203, 0, 113, 0), 24},     // TEST-NET-3
      {v4(224, 0, 0, 0), 4},        // multicast
      {v4(240, 0, 0, 0), 4},        // reserved
      {v4(255, 255, 255, 255), 32}  // limited broadcast (inside 240/4; listed for the reader)
  }};
  const std::uint32_t a = address.to_uint();
  for (const auto& range : kRanges)
    if (in_v4(a, range.network, range.prefix)) return true;
  return false;
}

asio::ip::address_v4 v4_at(const asio::ip::address_v6::bytes_type& b, size_t offset) {
  return asio::ip::address_v4(
      asio::ip::address_v4::bytes_type{b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
}

bool is_private_v6(const asio::ip::address_v6& address) {
  const auto b = address.to_bytes();
  auto zero = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
      if (b[i] != 0) return false;
    return true;
  };
  if (zero(0, 12)) return true;  // ::/96: unspecified, loopback, IPv4-compatible (deprecated)
  if (zero(0, 10) && b[10] == 0xFF && b[11] == 0xFF)
    return is_private_v4(v4_at(b, 12));  // ::ffff:0:0/96, v4-mapped
  if (zero(0, 8) && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0)
    return is_private_v4(v4_at(b, 12));  // ::ffff:0:0:0/96, SIIT v4-translated
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) {
    if (zero(4, 12)) return is_private_v4(v4_at(b, 12));  // 64:ff9b::/96, NAT64 well-known
    if (b[4] == 0x00 && b[5] == 0x01) return true;        // 64:ff9b:1::/48, local-use NAT64
  }
  if (b[0] == 0x01 && zero(1, 8)) return true;  // 100::/64, discard-only
  if (b[0] == 0x20 && b[1] == 0x01) {
    if ((b[2] & 0xFE) == 0x00) return true;  // 2001::/23, IETF protocol assignments (Teredo...)
    if (b[2] == 0x0D && b[3] == 0xB8) return true;  // 2001:db8::/32, documentation
  }
  if (b[0] == 0x20 && b[1] == 0x02) return is_private_v4(v4_at(b, 2));     // 2002::/16, 6to4
  if (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0x00) return true;  // 3fff::/20, docs
  if (b[0] == 0x5F && b[1] == 0x00) return true;                           // 5f00::/16, SRv6
  if ((b[0] & 0xFE) == 0xFC) return true;                                  // fc00::/7, unique local
  if (b[0] == 0xFE && (b[1] & 0x80) == 0x80) return true;  // fe80::/10 link, fec0::/10 site
  return b[0] == 0xFF;                                     // ff00::/8, multicast
}

// Look-ups run on their own detached threads: getaddrinfo cannot be cancelled, so a caller
// waits only until its deadline and leaves a hung look-up to finish on its own.
struct Lookup {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  tcp::resolver::results_type results;
  boost::system::error_code ec;
};
std::atomic<int> lookups_in_flight{0};
constexpr int kMaxLookupsInFlight = 256;

}  // namespace

std::string ParsedUrl::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(https ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + port;
}

std::string ParsedUrl::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = v6 ? "[" + host + "]" : host;
  if (port != (https ? "443" : "80")) out += ":" + port;
  return out;
}

std::optional<ParsedUrl> parse_url(std::string_view url) {
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F) return std::nullopt;
  ParsedUrl out;
  std::string_view rest = url;
  if (util::starts_with_ignore_case(rest, "https://")) {
    out.https = true;
    rest.remove_prefix(8);
  } else if (util::starts_with_ignore_case(rest, "http://")) {
    rest.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  if (const auto hash = rest.find('#'); hash != std::string_view::npos)
    rest = rest.substr(0, hash);  // the fragment never leaves the client
  const auto end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  if (end == std::string_view::npos) {
    out.target = "/";
  } else {
    out.target =
        rest[end] == '?' ? "/" + std::string(rest.substr(end)) : std::string(rest.substr(end));
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);  // user:password@ is not part of the host
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    // A zone id ("%eth0") names an interface of this machine: never a target, and it would
    // hide the address from the checks (found by the target_check fuzzer).
    if (out.host.find('%') != std::string::npos) return std::nullopt;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return std::nullopt;
    if (!after.empty()) port = after.substr(1);
    boost::system::error_code ec;
    (void)asio::ip::make_address_v6(out.host, ec);
    if (ec) return std::nullopt;
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    // A percent sign or a bracket in a host is an escaped or injected character, not a name.
    if (out.host.find_first_of("%[]\\") != std::string::npos) return std::nullopt;
  }
  if (port.empty()) {
    out.port = out.https ? "443" : "80";
  } else {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    const int number = std::stoi(std::string(port));
    if (number < 1 || number > 65535) return std::nullopt;
    out.port = std::to_string(number);
  }
  if (out.host.empty()) return std::nullopt;
  return out;
}

bool is_private(const asio::ip::address& address) {
  return address.is_v4() ? is_private_v4(address.to_v4()) : is_private_v6(address.to_v6());
}

std::optional<std::string> private_target_problem(const std::string& url) {
  auto parsed = parse_url(url);
  if (!parsed) return "must be an http:// or https:// URL with a host";
  const std::string message =
      "host " + parsed->host +
      " is a loopback, private, link-local or reserved address (the server does not run with "
      "--allow-private-targets)";
  if (is_localhost_name(parsed->host)) return message;
  // Numeric forms only (AI_NUMERICHOST: inet_aton's 127.1, 0x7f.0.0.1, 2130706433 too): no DNS
  // query leaves this thread.
  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto endpoints = resolver.resolve(
      parsed->host, parsed->port, tcp::resolver::numeric_host | tcp::resolver::numeric_service, ec);
  if (ec) return std::nullopt;  // a name: checked when the request is sent
  for (const auto& entry : endpoints)
    if (is_private(entry.endpoint().address())) return message;
  return std::nullopt;
}

ResolvedTarget resolve_target(const ParsedUrl& url, std::chrono::steady_clock::time_point deadline,
                              bool allow_private) {
  ResolvedTarget out;
  if (!allow_private && is_localhost_name(url.host))
    return {{}, "target " + url.host + " is a private or loopback address"};
  boost::system::error_code ec;
  {
    asio::io_context io;
    tcp::resolver resolver(io);
    out.endpoints = resolver.resolve(
        url.host, url.port, tcp::resolver::numeric_host | tcp::resolver::numeric_service, ec);
  }
  if (ec) {
    if (lookups_in_flight.load() >= kMaxLookupsInFlight)
      return {{}, "cannot resolve " + url.host + ": too many DNS look-ups in flight"};
    auto lookup = std::make_shared<Lookup>();
    ++lookups_in_flight;
    std::thread([lookup, host = url.host, port = url.port] {
      asio::io_context io;
      tcp::resolver resolver(io);
      boost::system::error_code error;
      auto results = resolver.resolve(host, port, tcp::resolver::numeric_service, error);
      {
        std::lock_guard lock(lookup->mutex);
        lookup->results = std::move(results);
        lookup->ec = error;
        lookup->done = true;
      }
      lookup->done_cv.notify_all();
      --lookups_in_flight;
    }).detach();
    std::unique_lock lock(lookup->mutex);
    if (!lookup->done_cv.wait_until(lock, deadline, [&] { return lookup->done; }))
      return {{}, "resolving " + url.host + " timed out"};
    if (lookup->ec) return {{}, "cannot resolve " + url.host + ": " + lookup->ec.message()};
    out.endpoints = lookup->results;
  }
  if (!allow_private)
    for (const auto& entry : out.endpoints)
      if (is_private(entry.endpoint().address()))
        return {{},
                "target " + url.host + " is a private or loopback address (" +
                    entry.endpoint().address().to_string() + ")"};
  return out;
}

}  // namespace leadline::providers
