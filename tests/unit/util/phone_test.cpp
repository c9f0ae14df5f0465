#include "util/phone.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace leadline::util {
namespace {

std::string e164(std::string_view raw, std::string_view region) {
  auto result = normalize_phone(raw, region);
  EXPECT_TRUE(result.error.empty()) << raw << ": " << result.error;
  return result.e164.value_or("<none>");
}

std::string error(std::string_view raw, std::string_view region) {
  auto result = normalize_phone(raw, region);
  EXPECT_FALSE(result.e164.has_value()) << raw << " gave " << *result.e164;
  return result.error;
}

TEST(Phone, KeepsValidE164) {
  EXPECT_EQ(e164("+14155550100", "US"), "+14155550100");
  EXPECT_EQ(e164("+14155550100", ""), "+14155550100");
  EXPECT_EQ(e164("+919876543210", "US"), "+919876543210");
}

TEST(Phone, NormalisesNationalNumbersInDefaultRegion) {
  EXPECT_EQ(e164("(415) 555-0100", "US"), "+14155550100");
  EXPECT_EQ(e164("415.555.0100", "us"), "+14155550100");
  EXPECT_EQ(e164("1-415-555-0100", "US"), "+14155550100");
  EXPECT_EQ(e164("020 7946 0958", "GB"), "+442079460958");
  EXPECT_EQ(e164("098765 43210", "IN"), "+919876543210");
}

TEST(Phone, NormalisesInternationalFormats) {
  EXPECT_EQ(e164("+91 98765 43210", "US"), "+919876543210");
  EXPECT_EQ(e164("+1 (415) 555-0100", "GB"), "+14155550100");
  EXPECT_EQ(e164("011 44 20 7946 0958", "US"), "+442079460958");
}

TEST(Phone, ReadsDoubleZeroAsInternationalPrefixEvenWhereItIsNot) {
  EXPECT_EQ(e164("0044 20 7946 0958", "GB"), "+442079460958");
  EXPECT_EQ(e164("0044 20 7946 0958", "US"), "+442079460958");
  EXPECT_EQ(e164("0044 20 7946 0958", ""), "+442079460958");
}

TEST(Phone, TrimsSurroundingWhitespace) {
  EXPECT_EQ(e164("  +14155550100\t\r\n", "US"), "+14155550100");
  EXPECT_EQ(e164(" (415) 555-0100 ", "US"), "+14155550100");
}

TEST(Phone, StripsNationalPrefixWrittenAfterCountryCode) {
  // E.164-shaped but with the trunk 0 kept: the fast path must defer to Parse.
  EXPECT_EQ(e164("+4402079460958", "US"), "+442079460958");
}

TEST(Phone, KeepsItalianLeadingZero) {
  EXPECT_EQ(e164("+390612345678", "US"), "+390612345678");
  EXPECT_EQ(e164("06 1234 5678", "IT"), "+390612345678");
}

TEST(Phone, AcceptsNumbersOfRegionsSharingACountryCode) {
  EXPECT_EQ(e164("+14165550123", "US"), "+14165550123");  // Toronto
  EXPECT_EQ(phone_region("+14165550123"), "CA");
}

TEST(Phone, RejectsEmpty) {
  EXPECT_EQ(error("", "US"), "phone_number is required");
  EXPECT_EQ(error(" \t ", "US"), "phone_number is required");
}

TEST(Phone, RejectsText) {
  EXPECT_EQ(error("abc", "US"), "not a phone number");
  EXPECT_EQ(error("n/a", "US"), "not a phone number");
  EXPECT_EQ(error("1", "US"), "not a phone number");
}

TEST(Phone, RejectsInvalidNumbersNamingTheRegion) {
  EXPECT_EQ(error("555-0100", "US"), "not a valid phone number for US");
  EXPECT_EQ(error("12345", "gb"), "not a valid phone number for GB");
}

TEST(Phone, RejectsInvalidInternationalNumbersWithoutNamingTheRegion) {
  EXPECT_EQ(error("+1 000 555 0100", "US"), "not a valid phone number");
  EXPECT_EQ(error("+99912345678", "US"), "not a valid phone number");  // no country +999
  EXPECT_EQ(error("+1415555010", "US"), "not a valid phone number");   // one digit short
  EXPECT_EQ(error("4155550100", ""), "not a valid phone number");      // no country at all
}

TEST(Phone, FindsRegion) {
  EXPECT_EQ(phone_region("+14155550100"), "US");
  EXPECT_EQ(phone_region("+442079460958"), "GB");
  EXPECT_EQ(phone_region("+919876543210"), "IN");
  EXPECT_EQ(phone_region("+80012345678"), std::nullopt);  // international freephone
  EXPECT_EQ(phone_region("garbage"), std::nullopt);
}

TEST(Phone, DescribesLocation) {
  EXPECT_EQ(phone_geodescription("+16505550100"), "California");
  EXPECT_EQ(phone_geodescription("+442079460958"), "London");
  EXPECT_EQ(phone_geodescription("+919876543210"), "India");
  EXPECT_EQ(phone_geodescription("garbage"), "");
}

TEST(Phone, FastPathAgreesWithParse) {
  // Every E.164 input must come out the same whether or not it takes the fast path.
  for (const char* raw : {"+14155550100", "+442079460958", "+919876543210", "+390612345678",
                          "+61412345678", "+4915123456789", "+33612345678", "+8613912345678"}) {
    const std::string spaced = std::string(raw).insert(3, " ");  // forces Parse
    EXPECT_EQ(normalize_phone(raw, "US").e164, normalize_phone(spaced, "US").e164) << raw;
  }
}

TEST(Phone, NormalisesManyNumbersQuickly) {
  constexpr int kCount = 20000;
  const auto start = std::chrono::steady_clock::now();
  int valid = 0;
  for (int i = 0; i < kCount; ++i) {
    valid += normalize_phone("+1415555" + std::to_string(1000 + i % 9000), "US").e164 ? 1 : 0;
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(valid, kCount);
  // A loose bound that still holds under sanitizers; the report gives the real rate.
  EXPECT_LT(took.count(), 10.0);
  RecordProperty("per_second", static_cast<int>(kCount / took.count()));
}

}  // namespace
}  // namespace leadline::util
