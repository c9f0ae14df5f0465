#include "util/xlsx.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <list>
#include <map>
#include <random>
#include <string>

namespace leadline::util {
namespace {

using Files = std::map<std::string, std::string>;
using Rows = std::vector<std::vector<std::string>>;
using Header = std::vector<std::string>;

// Writes `files` into an in-memory zip with libzip and returns its bytes.
std::string make_zip(const Files& files) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(out);  // survive zip_close so the bytes can be read back
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  for (const auto& [name, text] : files) {
    zip_source_t* data = zip_source_buffer(archive, text.data(), text.size(), 0);
    EXPECT_GE(zip_file_add(archive, name.c_str(), data, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(archive), 0);
  zip_stat_t stat;
  zip_source_open(out);
  zip_source_stat(out, &stat);
  std::string bytes(stat.size, '\0');
  EXPECT_EQ(zip_source_read(out, bytes.data(), bytes.size()), static_cast<zip_int64_t>(stat.size));
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

constexpr const char* kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// A minimal workbook as Excel lays it out. Its first sheet lives in worksheets/leads.xml
// (not sheet1.xml) so the test proves the reader follows the relationships; sheet1.xml
// is a decoy second sheet.
Files xlsx_files(const std::string& sheet_data, const std::vector<std::string>& shared = {}) {
  Files files;
  files["[Content_Types].xml"] =
      R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>)";
  files["_rels/.rels"] =
      R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
  files["xl/workbook.xml"] =
      std::string("<?xml version=\"1.0\"?><workbook xmlns=\"") + kMainNs + "\" xmlns:r=\"" +
      kRelNs +
      "\"><sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId7\"/>"
      "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
  files["xl/_rels/workbook.xml.rels"] =
      R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/leads.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>)";
  std::string sst = std::string("<?xml version=\"1.0\"?><sst xmlns=\"") + kMainNs + "\">";
  for (const auto& s : shared) sst += "<si>" + s + "</si>";
  files["xl/sharedStrings.xml"] = sst + "</sst>";
  files["xl/worksheets/leads.xml"] = std::string("<?xml version=\"1.0\"?><worksheet xmlns=\"") +
                                     kMainNs + "\"><sheetData>" + sheet_data +
                                     "</sheetData></worksheet>";
  files["xl/worksheets/sheet1.xml"] = std::string("<worksheet xmlns=\"") + kMainNs +
                                      "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                                      "<is><t>decoy</t></is></c></row></sheetData></worksheet>";
  return files;
}

std::string make_xlsx(const std::string& sheet_data, const std::vector<std::string>& shared = {}) {
  return make_zip(xlsx_files(sheet_data, shared));
}

Table parse_ok(std::string_view bytes) {
  auto result = parse_xlsx(bytes);
  if (auto* error = std::get_if<ParseError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message;
    return {};
  }
  return std::get<Table>(std::move(result));
}

std::string parse_error(std::string_view bytes) {
  auto result = parse_xlsx(bytes);
  if (!std::holds_alternative<ParseError>(result)) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return std::get<ParseError>(result).message;
}

const std::vector<std::string> kShared = {
    "<t>phone_number</t>", "<t xml:space=\"preserve\"> name </t>", "<t>Ann</t>",
    "<r><t>Bo</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">b </t></r>",
    "<t>tanaka</t><rPh sb=\"0\" eb=\"1\"><t>TANAKA</t></rPh>"};

TEST(Xlsx, ReadsFirstSheetWithSharedAndRichStrings) {
  auto table = parse_ok(
      make_xlsx(R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
      <row r="2"><c r="A2"><v>14155550100</v></c><c r="B2" t="s"><v>2</v></c></row>
      <row r="3"><c r="A3"><v>1.4155550101E10</v></c><c r="B3" t="s"><v>3</v></c></row>
      <row r="4"><c r="A4" t="str"><v>+14155550102</v></c><c r="B4" t="s"><v>4</v></c></row>)",
                kShared));
  EXPECT_EQ(table.header, (Header{"phone_number", "name"}));
  EXPECT_EQ(table.rows,
            (Rows{{"14155550100", "Ann"}, {"14155550101", "Bob "}, {"+14155550102", "tanaka"}}));
}

TEST(Xlsx, RendersCellTypesAsExcelShowsThem) {
  auto table = parse_ok(make_xlsx(
      R"(<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c><c t="inlineStr"><is><t>c</t></is></c><c t="inlineStr"><is><t>d</t></is></c><c t="inlineStr"><is><t>e</t></is></c><c t="inlineStr"><is><t>f</t></is></c></row>
         <row><c><v>3.5</v></c><c t="n"><v>-0</v></c><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c><c><v>1.5E-3</v></c></row>
         <row><c><v>45292</v></c><c><v>1E+20</v></c><c t="inlineStr"><is><r><t>x</t></r><r><t>y</t></r></is></c><c><f>A1</f></c><c t="d"><v>2024-05-01T09:00:00</v></c><c><v>0.1</v></c></row>)"));
  EXPECT_EQ(table.header, (Header{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(table.rows, (Rows{{"3.5", "0", "TRUE", "FALSE", "#N/A", "0.0015"},
                              {"45292", "1e+20", "xy", "", "2024-05-01T09:00:00", "0.1"}}));
}

TEST(Xlsx, PlacesSparseCellsByReference) {
  auto table = parse_ok(make_xlsx(
      R"(<row r="3"><c r="A3" t="inlineStr"><is><t>phone_number</t></is></c><c r="C3" t="inlineStr"><is><t>city</t></is></c></row>
         <row r="5"><c r="C5" t="inlineStr"><is><t>Paris</t></is></c></row>
         <row r="6"><c r="A6"><v>33612345678</v></c></row>)"));
  EXPECT_EQ(table.header, (Header{"phone_number", "", "city"}));
  EXPECT_EQ(table.rows, (Rows{{"", "", "Paris"}, {"33612345678", "", ""}}));
}

TEST(Xlsx, SkipsRowsWithoutValues) {
  auto table = parse_ok(make_xlsx(
      R"(<row r="1"><c r="A1" s="2"/></row>
         <row r="2"><c r="A2" t="inlineStr"><is><t> phone_number </t></is></c><c r="B2" t="inlineStr"><is><t> </t></is></c></row>
         <row r="3"><c r="A3" s="1"/><c r="B3" t="s"/></row>
         <row r="4"><c r="A4"><v>1</v></c></row>)"));
  EXPECT_EQ(table.header, (Header{"phone_number"}));
  EXPECT_EQ(table.rows, (Rows{{"1"}}));
}

TEST(Xlsx, AcceptsPrefixedElementNames) {
  Files files = xlsx_files("");
  files["xl/worksheets/leads.xml"] =
      std::string("<x:worksheet xmlns:x=\"") + kMainNs +
      "\"><x:sheetData><x:row><x:c t=\"inlineStr\"><x:is><x:t>phone_number</x:t></x:is></x:c>"
      "</x:row><x:row><x:c><x:v>14155550100</x:v></x:c></x:row></x:sheetData></x:worksheet>";
  auto table = parse_ok(make_zip(files));
  EXPECT_EQ(table.rows, (Rows{{"14155550100"}}));
}

TEST(Xlsx, WorksWithoutSharedStringsAndRootRels) {
  Files files = xlsx_files(R"(<row><c t="inlineStr"><is><t>p</t></is></c></row>)");
  files.erase("xl/sharedStrings.xml");
  files.erase("_rels/.rels");
  EXPECT_EQ(parse_ok(make_zip(files)).header, (Header{"p"}));
}

TEST(Xlsx, RejectsValueRightOfHeader) {
  EXPECT_EQ(parse_error(make_xlsx(R"(<row><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>
      <row><c r="A2"><v>1</v></c></row><row><c r="A3"><v>1</v></c><c r="D3"><v>4</v></c></row>)")),
            "row 2 has a value in column D but the header has 2 columns");
}

TEST(Xlsx, RejectsEmptySheet) {
  EXPECT_EQ(parse_error(make_xlsx("")), "the first worksheet is empty");
}

TEST(Xlsx, RejectsDanglingSharedString) {
  EXPECT_EQ(parse_error(make_xlsx(R"(<row><c t="s"><v>9</v></c></row>)", kShared)),
            "invalid XLSX file: shared string index out of range");
}

TEST(Xlsx, RejectsMissingParts) {
  Files no_workbook = xlsx_files("");
  no_workbook.erase("xl/workbook.xml");
  EXPECT_EQ(parse_error(make_zip(no_workbook)),
            "invalid XLSX file: no workbook (is it an .xls or .ods file?)");
  Files no_sheet = xlsx_files("");
  no_sheet.erase("xl/worksheets/leads.xml");
  EXPECT_EQ(parse_error(make_zip(no_sheet)),
            "invalid XLSX file: the first sheet (xl/worksheets/leads.xml) is missing");
  EXPECT_EQ(parse_error(make_zip({{"hello.txt", "hi"}})),
            "invalid XLSX file: no workbook (is it an .xls or .ods file?)");
}

TEST(Xlsx, RejectsMalformedXml) {
  Files files = xlsx_files("<row><c><v>1</v></row>");
  EXPECT_EQ(parse_error(make_zip(files))
                .rfind("invalid XLSX file: xl/worksheets/leads.xml is not "
                       "well-formed XML",
                       0),
            0u);
}

TEST(Xlsx, RejectsNonZipInput) {
  EXPECT_EQ(
      parse_error("phone_number\n+14155550100\n").rfind("invalid XLSX file: not a readable zip", 0),
      0u);
  EXPECT_FALSE(parse_error("").empty());
  std::mt19937 rng(42);
  for (int i = 0; i < 50; ++i) {
    std::string junk(1 + rng() % 4096, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    EXPECT_FALSE(parse_error(junk).empty());
  }
}

TEST(Xlsx, NeverCrashesOnTruncatedOrCorruptedFiles) {
  const std::string good =
      make_xlsx(R"(<row><c t="s"><v>0</v></c></row><row><c><v>14155550100</v></c></row>)", kShared);
  ASSERT_EQ(parse_ok(good).rows, (Rows{{"14155550100"}}));
  for (size_t cut = 0; cut < good.size(); cut += 7) {
    EXPECT_TRUE(std::holds_alternative<ParseError>(parse_xlsx(good.substr(0, cut)))) << cut;
  }
  // Flipped bytes may land in unused fields, so only "no crash, some answer" is certain.
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string bad = good;
    for (int k = 0; k < 4; ++k) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    const auto result = parse_xlsx(bad);
    if (auto* error = std::get_if<ParseError>(&result)) {
      EXPECT_FALSE(error->message.empty());
    }
  }
}

TEST(Xlsx, ReadsManyRows) {
  std::string rows =
      R"(<row><c t="inlineStr"><is><t>phone_number</t></is></c><c t="inlineStr"><is><t>n</t></is></c></row>)";
  for (int i = 0; i < 20000; ++i) {
    rows += "<row><c><v>" + std::to_string(14155550000LL + i) + "</v></c><c><v>" +
            std::to_string(i) + "</v></c></row>";
  }
  auto table = parse_ok(make_xlsx(rows));
  ASSERT_EQ(table.rows.size(), 20000u);
  EXPECT_EQ(table.rows.back(), (std::vector<std::string>{"14155569999", "19999"}));
}

std::string limit_error(std::string_view bytes, const TableLimits& limits,
                        const XlsxLimits& zip_limits = {}) {
  auto result = parse_xlsx(bytes, limits, zip_limits);
  if (!std::holds_alternative<ParseError>(result)) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return std::get<ParseError>(result).message;
}

std::string inline_row(int row, const std::vector<std::string>& cells) {
  std::string out = "<row r=\"" + std::to_string(row) + "\">";
  for (size_t c = 0; c < cells.size(); ++c)
    out += "<c r=\"" + std::string(1, static_cast<char>('A' + c)) + std::to_string(row) +
           "\" t=\"inlineStr\"><is><t>" + cells[c] + "</t></is></c>";
  return out + "</row>";
}

TEST(Xlsx, EnforcesTableLimitsWhileReading) {
  TableLimits limits{2, 3, 5, 100, 1000};
  const std::string ok = make_xlsx(inline_row(1, {"a", "b", "c"}) + inline_row(2, {"1", "2", "3"}));
  EXPECT_TRUE(std::holds_alternative<Table>(parse_xlsx(ok, limits)));
  EXPECT_EQ(limit_error(make_xlsx(inline_row(1, {"a", "b", "c", "d"})), limits),
            "row 1 has a value in column D; at most 3 columns are accepted");
  EXPECT_EQ(limit_error(make_xlsx(inline_row(1, {"a"}) + inline_row(2, {"123456"})), limits),
            "cell A2 is longer than 5 bytes, the limit per cell");
  // Messages use the row numbers the spreadsheet shows, also when rows are sparse.
  EXPECT_EQ(limit_error(make_xlsx(inline_row(1, {"a"}) + inline_row(7, {"123456"})), limits),
            "cell A7 is longer than 5 bytes, the limit per cell");
  EXPECT_EQ(limit_error(make_xlsx(inline_row(1, {"a"}) + inline_row(2, {"1"}) +
                                  inline_row(3, {"2"}) + inline_row(4, {"3"})),
                        limits),
            "the file holds more than 2 lead rows; at most 2 are accepted per request, split it "
            "into several files");
  // One shared string referenced by every cell: the expanded text is what counts.
  std::string rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>";
  for (int r = 2; r < 40; ++r)
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) +
            "\" t=\"s\"><v>1</v></c></row>";
  EXPECT_EQ(limit_error(make_xlsx(rows, {"<t>a</t>", "<t>12345</t>"}), {100, 3, 5, 100, 100}),
            "the file holds more than 100 bytes of cell text, the limit per file");
  EXPECT_NE(limit_error(make_xlsx(inline_row(1, {"a"}) + inline_row(2, {"Jos\xe9"})), {})
                .find("cell A2 is not valid UTF-8"),
            std::string::npos);
  EXPECT_NE(limit_error(make_xlsx(inline_row(1, {"a"}), {"<t>\xff</t>"}), {})
                .find("shared string 1 is not valid UTF-8"),
            std::string::npos);
}

TEST(Xlsx, EnforcesArchiveLimits) {
  const std::string sheet =
      inline_row(1, {"phone_number"}) + std::string(200'000, ' ') + inline_row(2, {"+14155550100"});
  const std::string bytes = make_xlsx(sheet, {"<t>a</t>", "<t>b</t>", "<t>c</t>"});
  EXPECT_TRUE(std::holds_alternative<Table>(parse_xlsx(bytes)));  // within the defaults
  XlsxLimits zip;
  zip.ratio_floor_bytes = 1000;
  EXPECT_EQ(limit_error(bytes, {}, zip),
            "the XLSX part xl/worksheets/leads.xml is compressed more than 100:1, the limit (a "
            "zip bomb?)");
  zip = {};
  zip.max_entry_bytes = 100'000;
  EXPECT_EQ(limit_error(bytes, {}, zip),
            "the XLSX part xl/worksheets/leads.xml is larger than 100000 bytes uncompressed, the "
            "limit per part");
  zip = {};
  zip.max_total_bytes = 150'000;
  EXPECT_EQ(limit_error(bytes, {}, zip),
            "the XLSX file is larger than 150000 bytes uncompressed, the limit per file");
  zip = {};
  zip.max_shared_strings = 2;
  EXPECT_EQ(limit_error(bytes, {}, zip),
            "the XLSX file has more than 2 shared strings, the limit per file");
}

}  // namespace
}  // namespace leadline::util
