#include "util/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leadline::util {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using Header = std::vector<std::string>;

Table parse_ok(std::string_view text) {
  auto result = parse_csv(text);
  if (auto* error = std::get_if<ParseError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message;
    return {};
  }
  return std::get<Table>(std::move(result));
}

std::string parse_error(std::string_view text) {
  auto result = parse_csv(text);
  if (std::holds_alternative<Table>(result)) {
    ADD_FAILURE() << "expected an error for: " << text;
    return {};
  }
  return std::get<ParseError>(result).message;
}

TEST(Csv, ParsesHeaderAndRows) {
  auto table = parse_ok("phone_number,name\n+14155550100,Ann\n+14155550101,Bob\n");
  EXPECT_EQ(table.header, (Header{"phone_number", "name"}));
  EXPECT_EQ(table.rows, (Rows{{"+14155550100", "Ann"}, {"+14155550101", "Bob"}}));
}

TEST(Csv, HandlesCrlfAndMissingFinalNewline) {
  auto table = parse_ok("a,b\r\n1,2\r\n3,4");
  EXPECT_EQ(table.rows, (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST(Csv, TreatsLoneCrAsLineEnd) {
  auto table = parse_ok("a,b\r1,2\r");
  EXPECT_EQ(table.rows, (Rows{{"1", "2"}}));
}

TEST(Csv, UnquotesFieldsWithDelimitersNewlinesAndEscapedQuotes) {
  auto table = parse_ok("a,b,c\n\"x, y\",\"line1\r\nline2\",\"say \"\"hi\"\"\"\n\"\",\"\"\"\",z\n");
  EXPECT_EQ(table.rows, (Rows{{"x, y", "line1\r\nline2", "say \"hi\""}, {"", "\"", "z"}}));
}

TEST(Csv, KeepsQuoteInsideUnquotedFieldAndTextAfterClosingQuote) {
  auto table = parse_ok("a,b\n5'10\" tall,\"ab\"cd\n");
  EXPECT_EQ(table.rows, (Rows{{"5'10\" tall", "abcd"}}));
}

TEST(Csv, StripsBomAndTrimsHeaderNames) {
  auto table = parse_ok("\xEF\xBB\xBF phone_number , name\t\n1,2\n");
  EXPECT_EQ(table.header, (Header{"phone_number", "name"}));
  EXPECT_EQ(table.rows, (Rows{{"1", "2"}}));
}

TEST(Csv, DoesNotTrimDataFields) {
  auto table = parse_ok("a,b\n x , y\n");
  EXPECT_EQ(table.rows, (Rows{{" x ", " y"}}));
}

TEST(Csv, SkipsEmptyLinesWithoutCountingThemAsRows) {
  auto table = parse_ok("\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n");
  EXPECT_EQ(table.header, (Header{"a", "b"}));
  EXPECT_EQ(table.rows, (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST(Csv, DetectsSemicolonDelimiter) {
  auto table = parse_ok("phone_number;city\n+33612345678;\"Paris; FR\"\n");
  EXPECT_EQ(table.header, (Header{"phone_number", "city"}));
  EXPECT_EQ(table.rows, (Rows{{"+33612345678", "Paris; FR"}}));
}

TEST(Csv, DetectsTabDelimiter) {
  auto table = parse_ok("phone_number\tcity\n+33612345678\tParis, FR\n");
  EXPECT_EQ(table.rows, (Rows{{"+33612345678", "Paris, FR"}}));
}

TEST(Csv, CommaInHeaderWinsOverSemicolon) {
  auto table = parse_ok("a,b;c\n1,2;3\n");
  EXPECT_EQ(table.header, (Header{"a", "b;c"}));
  EXPECT_EQ(table.rows, (Rows{{"1", "2;3"}}));
}

TEST(Csv, SingleColumnFile) {
  auto table = parse_ok("phone_number\n+14155550100\n+14155550101\n");
  EXPECT_EQ(table.header, (Header{"phone_number"}));
  EXPECT_EQ(table.rows, (Rows{{"+14155550100"}, {"+14155550101"}}));
}

TEST(Csv, HeaderOnlyGivesNoRows) {
  auto table = parse_ok("phone_number,name\r\n");
  EXPECT_EQ(table.header, (Header{"phone_number", "name"}));
  EXPECT_TRUE(table.rows.empty());
}

TEST(Csv, PadsShortRows) {
  auto table = parse_ok("a,b,c\n1\n1,2\n,\n");
  EXPECT_EQ(table.rows, (Rows{{"1", "", ""}, {"1", "2", ""}, {"", "", ""}}));
}

TEST(Csv, DropsTrailingEmptyExtraFields) {
  auto table = parse_ok("a,b\n1,2,,\n");
  EXPECT_EQ(table.rows, (Rows{{"1", "2"}}));
}

TEST(Csv, RejectsLongRowNamingDataRowNumber) {
  // Empty lines are not counted, so the third data row is on line 5.
  EXPECT_EQ(parse_error("a,b\n1,2\n\n3,4\n5,6,7\n"), "row 3 has 3 fields but the header has 2");
}

TEST(Csv, RejectsUnterminatedQuoteNamingItsStartLine) {
  EXPECT_EQ(parse_error("a,b\n1,2\n\"multi\nline,3\n4,5\n"),
            "unterminated quoted field starting on line 3");
  EXPECT_EQ(parse_error("\"a"), "unterminated quoted field starting on line 1");
}

TEST(Csv, CountsLinesInsideQuotedFieldsForLaterErrors) {
  EXPECT_EQ(parse_error("a\n\"x\ny\"\n\"open\n"), "unterminated quoted field starting on line 4");
}

TEST(Csv, RejectsEmptyInput) {
  EXPECT_EQ(parse_error(""), "the CSV file is empty");
  EXPECT_EQ(parse_error("\xEF\xBB\xBF\r\n\n"), "the CSV file is empty");
}

TEST(Csv, HandlesEmbeddedNulBytes) {
  const std::string text("a,b\n1,x\0y\n", 10);
  auto table = parse_ok(text);
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0][1], std::string("x\0y", 3));
}

TEST(Csv, ParsesManyRows) {
  std::string text = "phone_number,name,city\n";
  constexpr int kRows = 100000;
  for (int i = 0; i < kRows; ++i) {
    text += "+1415555" + std::to_string(1000000 + i).substr(1) + ",\"Name " + std::to_string(i) +
            "\",City\r\n";
  }
  auto table = parse_ok(text);
  ASSERT_EQ(table.rows.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"+1415555000000", "Name 0", "City"}));
  EXPECT_EQ(table.rows[kRows - 1][1], "Name 99999");
}

TEST(Csv, ReadsTextThatIsNotUtf8AsWindows1252) {
  auto table = parse_ok("phone_number,name\n1,Jos\xe9 \x80\x92\n");
  EXPECT_EQ(table.encoding, TextEncoding::kWindows1252);
  EXPECT_EQ(table.rows[0][1], "Jos\xc3\xa9 \xe2\x82\xac\xe2\x80\x99");
  const std::string utf8_bom = "\xEF\xBB\xBF";
  EXPECT_EQ(parse_ok(utf8_bom + "a,b\n1,\xc3\xa9\n").encoding, TextEncoding::kUtf8);
  // A BOM followed by bytes that are not UTF-8: still read as Windows-1252, BOM dropped.
  auto bom = parse_ok("\xEF\xBB\xBFname\n\xe9\n");
  EXPECT_EQ(bom.header, Header({"name"}));
  EXPECT_EQ(bom.rows[0][0], "\xc3\xa9");
}

std::string parse_error_with(std::string_view text, const TableLimits& limits) {
  auto result = parse_csv(text, limits);
  if (std::holds_alternative<Table>(result)) {
    ADD_FAILURE() << "expected an error for: " << text;
    return {};
  }
  return std::get<ParseError>(result).message;
}

TEST(Csv, EnforcesLimitsWhileReading) {
  TableLimits limits;
  limits.max_rows = 2;
  limits.max_columns = 3;
  limits.max_cell_bytes = 5;
  limits.max_cells = 100;
  limits.max_text_bytes = 40;
  EXPECT_TRUE(std::holds_alternative<Table>(parse_csv("a,b,c\n1,2,3\n4,5,6\n", limits)));
  EXPECT_EQ(parse_error_with("a,b,c,d\n", limits),
            "line 1 has more than 3 fields; at most 3 columns are accepted");
  EXPECT_EQ(parse_error_with("a,b\n1,2,,,,,\n", limits),
            "line 2 has more than 3 fields; at most 3 columns are accepted");
  EXPECT_EQ(parse_error_with("a\n123456\n", limits),
            "a field on line 2 is longer than 5 bytes, the limit per cell");
  EXPECT_EQ(parse_error_with("a\n\"12\"\"3456\"\n", limits),
            "a field on line 2 is longer than 5 bytes, the limit per cell");
  // The row cap stops at the first row over it: the broken line after it is never read.
  EXPECT_EQ(parse_error_with("a\n1\n2\n3\n\"broken", limits),
            "the file holds more than 2 lead rows; at most 2 are accepted per request, split it "
            "into several files");
  limits.max_rows = 100;
  limits.max_cells = 5;
  EXPECT_EQ(parse_error_with("a,b\n1\n2\n3\n", limits),
            "the file holds more than 5 cells (rows x 2 columns), the limit per file; remove "
            "unused columns or split it");
  EXPECT_EQ(parse_error_with("a,b,c\n12345,12345,12345\n12345,12345,12345\n12345,12345,12345\n",
                             TableLimits{100, 3, 5, 100, 40}),
            "the file holds more than 40 bytes of cell text, the limit per file");
}

TEST(Csv, DefaultLimitsComeFromInputLimits) {
  const TableLimits defaults;
  EXPECT_EQ(defaults.max_rows, limits::kMaxLeadsPerRequest);
  EXPECT_EQ(defaults.max_columns, limits::kMaxFileColumns);
  EXPECT_EQ(defaults.max_cell_bytes, limits::kMaxCellBytes);
  EXPECT_EQ(defaults.max_cells, limits::kMaxFileCells);
  EXPECT_EQ(defaults.max_text_bytes, limits::kMaxFileTextBytes);
}

}  // namespace
}  // namespace leadline::util
