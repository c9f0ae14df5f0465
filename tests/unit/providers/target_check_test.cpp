#include "providers/target_check.h"

#include <gtest/gtest.h>

namespace leadline::providers {
namespace {

bool private_address(const char* text) { return is_private(boost::asio::ip::make_address(text)); }

// One case per block of the IANA special-purpose registries (and the forms that embed IPv4).
TEST(TargetCheck, RefusesEverySpecialPurposeIpv4Range) {
  for (const char* address :
       {"0.0.0.0",         "0.255.1.2",      "10.0.0.1",        "100.64.0.1",     "100.127.255.254",
        "127.0.0.1",       "127.255.0.9",    "169.254.169.254", "172.16.0.1",     "172.31.255.255",
        "192.0.0.1",       "192.0.0.170",    "192.0.2.10",      "192.88.99.1",    "192.168.1.1",
        "198.18.0.1",      "198.19.255.255", "198.51.100.7",    "203.0.113.10",   "224.0.0.1",
        "239.255.255.250", "240.0.0.1",      "250.1.2.3",       "255.255.255.255"})
    EXPECT_TRUE(private_address(address)) << address;
}

TEST(TargetCheck, AcceptsPublicIpv4Neighbours) {
  for (const char* address :
       {"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.0.1", "172.32.0.1",
        "192.0.1.1", "192.0.3.1", "192.169.0.1", "198.17.255.255", "198.20.0.1", "198.51.101.1",
        "203.0.114.1", "223.255.255.255", "11.0.0.1", "93.184.215.14"})
    EXPECT_FALSE(private_address(address)) << address;
}

TEST(TargetCheck, RefusesEverySpecialPurposeIpv6Range) {
  for (const char* address : {"::",
                              "::1",
                              "::8.8.8.8",  // ::/96, incl. IPv4-compatible (deprecated)
                              "::ffff:127.0.0.1",
                              "::ffff:10.1.2.3",
                              "::ffff:0:192.168.0.1",  // mapped, translated
                              "64:ff9b::7f00:1",
                              "64:ff9b::a9fe:a9fe",  // NAT64 of loopback and link-local
                              "64:ff9b:1::8.8.8.8",
                              "64:ff9b:1:ffff::1",  // local-use NAT64, whatever it embeds
                              "100::",
                              "100::ffff:ffff:ffff:ffff",  // discard-only
                              "2001::1",
                              "2001:0:4136:e378:8000:63bf:3fff:fdd2",
                              "2001:1ff::1",  // 2001::/23, Teredo
                              "2001:db8::1",
                              "2001:db8:ffff::1",  // documentation
                              "2002:7f00:1::1",
                              "2002:c0a8:101::1",
                              "2002:a9fe:a9fe::",  // 6to4 of private
                              "3fff::1",
                              "5f00::1",
                              "fc00::1",
                              "fd12:3456::1",
                              "fe80::1",
                              "febf::1",
                              "fec0::1",
                              "feff::1",
                              "ff02::1",
                              "ff0e::101"})
    EXPECT_TRUE(private_address(address)) << address;
}

TEST(TargetCheck, AcceptsPublicIpv6AndPublicEmbeddedIpv4) {
  for (const char* address :
       {"2606:4700:4700::1111", "2a00:1450:4001:81b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808",
        "2002:808:808::1", "2001:200::1", "2001:db9::1", "fbff::1", "1::1"})
    EXPECT_FALSE(private_address(address)) << address;
}

TEST(TargetCheck, ParsesAuthorityForms) {
  auto url = parse_url("https://user:pw@[2001:db8::1]:8443/a/b?c=d#frag");
  ASSERT_TRUE(url);
  EXPECT_TRUE(url->https);
  EXPECT_EQ(url->host, "2001:db8::1");
  EXPECT_EQ(url->port, "8443");
  EXPECT_EQ(url->target, "/a/b?c=d");
  EXPECT_EQ(url->origin(), "https://[2001:db8::1]:8443");
  EXPECT_EQ(url->host_header(), "[2001:db8::1]:8443");
  url = parse_url("HTTP://user@example.com?x=1");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->port, "80");
  EXPECT_EQ(url->target, "/?x=1");
  EXPECT_EQ(url->host_header(), "example.com");
  url = parse_url("http://a@b@127.0.0.1:8080");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->host_header(), "127.0.0.1:8080");
  for (const char* bad :
       {"ftp://example.com", "http://", "http://:80/", "http://h:/", "http://h:99999/",
        "http://h:0/", "http://h:8a/", "http://[::1/", "http://[::1]x/", "http://[zz]/",
        "http://::1/", "http://h/a b", "http://h/\r\nX: y", "http://ev%69l.com/",
        "http://evil.com%2F%40127.0.0.1/", "http://[::1%eth0]/", "http://[::Fff%4:d8.168.1.1]:80/"})
    EXPECT_FALSE(parse_url(bad)) << bad;
}

TEST(TargetCheck, SaveTimeCheckReadsEveryLiteralFormWithoutDns) {
  for (const char* url :
       {"http://127.0.0.1/", "http://127.1/", "http://0x7f.0.0.1/", "http://2130706433/",
        "http://[::1]:8080/", "http://[::ffff:169.254.169.254]/", "http://localhost/",
        "http://LocalHost./", "http://db.localhost:5432/", "https://198.18.0.1/",
        "https://[64:ff9b::a00:1]/", "https://[2002:a00:1::1]/", "https://user@10.0.0.1/x"})
    EXPECT_TRUE(private_target_problem(url)) << url;
  for (const char* url : {"https://8.8.8.8/", "https://[2606:4700:4700::1111]:443/x",
                          "https://hooks.example.com/x", "https://no-such-host.invalid/"})
    EXPECT_FALSE(private_target_problem(url)) << url;
  EXPECT_TRUE(private_target_problem("not a url"));
}

TEST(TargetCheck, SendTimeCheckResolvesNamesAndChecksEveryAddress) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto url = parse_url("http://localhost:8080/");
  ASSERT_TRUE(url);
  EXPECT_NE(resolve_target(*url, deadline, false).error.find("private"), std::string::npos);
  auto allowed = resolve_target(*url, deadline, true);
  EXPECT_EQ(allowed.error, "");
  EXPECT_FALSE(allowed.endpoints.empty());
  url = parse_url("http://127.1:8080/");
  ASSERT_TRUE(url);
  EXPECT_NE(resolve_target(*url, deadline, false).error.find("private"), std::string::npos);
  url = parse_url("http://8.8.8.8:53/");
  ASSERT_TRUE(url);
  auto open = resolve_target(*url, deadline, false);
  EXPECT_EQ(open.error, "");
  ASSERT_EQ(open.endpoints.size(), 1u);
  EXPECT_EQ(open.endpoints.begin()->endpoint().port(), 53);
}

}  // namespace
}  // namespace leadline::providers
