// The private-target rule on URLs from webhook, WEBHOOK node and http.request bodies:
// parse_url, and private_target_problem for literal-IP hosts only. A hostname would make
// private_target_problem ask DNS, which a fuzzer must never do (slow, flaky, and it sends
// fuzzed names to the network), so those stop after parse_url.
#include <boost/asio/ip/address.hpp>
#include <string>

#include "fuzz_support.h"
#include "providers/target_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leadline;
  const std::string url(fuzz::as_text(data, size));
  const auto parsed = providers::parse_url(url);
  if (!parsed) return 0;
  if (parsed->host.empty()) leadline::fuzz::fail("parse_url accepted an empty host");
  if (parsed->target.empty() || parsed->target.front() != '/')
    fuzz::fail("parse_url target does not start with /");
  boost::system::error_code ec;
  const auto literal = boost::asio::ip::make_address(parsed->host, ec);
  if (ec) return 0;  // a hostname: resolving it is not ours to fuzz
  const bool is_private = providers::is_private(literal);
  const auto problem = providers::private_target_problem(url);
  if (problem.has_value() != is_private)
    fuzz::fail("private_target_problem disagrees with is_private");
  return 0;
}
