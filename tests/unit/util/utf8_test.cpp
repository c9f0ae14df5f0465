#include "util/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace leadline::util {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e"));
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(is_valid_utf8("Jos\xe9"));           // Latin-1
  EXPECT_FALSE(is_valid_utf8("\xff"));              // never in UTF-8
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));  // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xc3\x28"));          // bad continuation
}

// Long ASCII runs are checked eight bytes at a time: a bad byte is found at any position,
// and a character split across two of those words is still whole.
TEST(Utf8, FindsABadByteAtAnyPositionOfALongText) {
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    text[at] = '\xE9';
    EXPECT_FALSE(is_valid_utf8(text)) << at;
    text.replace(at, 1, "\xC3\xA9");
    EXPECT_TRUE(is_valid_utf8(text)) << at;
    text.replace(at, 2, "\xF0\x9F\x93\x9E");
    EXPECT_TRUE(is_valid_utf8(text)) << at;
    text.erase(at + 3, 1);  // truncated before the next ASCII byte
    EXPECT_FALSE(is_valid_utf8(text)) << at;
  }
}

TEST(Utf8, Windows1252MapsEveryByte) {
  EXPECT_EQ(windows1252_to_utf8("Jos\xe9"), "Jos\xc3\xa9");
  EXPECT_EQ(windows1252_to_utf8("\x80"), "\xe2\x82\xac");  // euro sign
  EXPECT_EQ(windows1252_to_utf8("\x92"), "\xe2\x80\x99");  // right single quote
  EXPECT_EQ(windows1252_to_utf8("\x9f"), "\xc5\xb8");      // Y with diaeresis
  EXPECT_EQ(windows1252_to_utf8("\x81\x8d\x8f\x90\x9d"),
            "\xc2\x81\xc2\x8d\xc2\x8f\xc2\x90\xc2\x9d");  // undefined: C1 controls
  EXPECT_EQ(windows1252_to_utf8("\xa0\xff"), "\xc2\xa0\xc3\xbf");
  // The whole table: every byte becomes exactly one well-formed character.
  const char16_t expected[32] = {u'€', 0x81, u'‚', u'ƒ', u'„', u'…', u'†', u'‡', u'ˆ', u'‰', u'Š',
                                 u'‹', u'Œ', 0x8D, u'Ž', 0x8F, 0x90, u'‘', u'’', u'“', u'”', u'•',
                                 u'–', u'—', u'˜', u'™', u'š', u'›', u'œ', 0x9D, u'ž', u'Ÿ'};
  for (int byte = 0; byte < 256; ++byte) {
    const std::string out = windows1252_to_utf8(std::string(1, static_cast<char>(byte)));
    ASSERT_TRUE(is_valid_utf8(out)) << byte;
    char32_t code = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(out.data());
    if (out.size() == 1) code = p[0];
    if (out.size() == 2) code = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    if (out.size() == 3) code = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    const char32_t want = byte >= 0x80 && byte < 0xA0 ? expected[byte - 0x80] : char32_t(byte);
    EXPECT_EQ(code, want) << byte;
  }
}

TEST(Utf8, ReplacesEachBadByte) {
  EXPECT_EQ(to_valid_utf8("ok"), "ok");
  EXPECT_EQ(to_valid_utf8("Jos\xE9!"), "Jos\xEF\xBF\xBD!");
  EXPECT_EQ(to_valid_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(to_valid_utf8("\xC3\xA9\xFF\xC3\xA9"), "\xC3\xA9\xEF\xBF\xBD\xC3\xA9");
  EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\xF0\x9F\x93")));
}

}  // namespace
}  // namespace leadline::util
