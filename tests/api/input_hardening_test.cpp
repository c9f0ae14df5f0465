// Issue 13, hardening: bad input gets a clear 4xx in the spec's error shape and changes
// nothing — never a 500, crash or stall. Real server, real database, real uploads.
#include <cstdio>
#include <string>
#include <vector>

#include "api/api_fixture.h"
#include "support/multipart_body.h"
#include "support/xlsx_file.h"
#include "util/input_limits.h"

namespace leadline::test {
namespace {

namespace limits = util::limits;

class InputHardening : public ApiTest {
 protected:
  std::string leads_path(const std::string& wf) { return "/v1/workflows/" + wf + "/leads"; }
  HttpResult upload(const std::string& wf, const std::string& filename, const std::string& data,
                    const std::string& query = "") {
    MultipartBody form;
    form.file("file", filename, data);
    return api().request("POST", leads_path(wf) + query, form.body(),
                         {{"Content-Type", MultipartBody::content_type()}});
  }
  std::int64_t total(const std::string& wf) {
    auto res = api().get(leads_path(wf));
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json()["meta"].value("total", std::int64_t{-1});
  }
  static std::string message(const HttpResult& res) {
    const Json body = res.json();
    if (!body.is_object() || !body.contains("message")) return res.body;
    return body["message"].is_string() ? body["message"].get<std::string>()
                                       : body["message"].dump();
  }
  // An error in the spec's shape whose message names `needle` (the limit or parameter).
  static void expect_error_naming(const HttpResult& res, int status, const std::string& needle) {
    expect_error(res, status);
    EXPECT_NE(message(res).find(needle), std::string::npos) << res.body.substr(0, 500);
  }
  static std::string phone(int i) {
    // Exchange 200.. and line 0000..9999: +1 212 EEE LLLL, valid for any i below 8,000,000.
    const std::string line = std::to_string(10'000 + i % 10'000).substr(1);
    return "+1212" + std::to_string(200 + i / 10'000) + line;
  }
};

std::string column_name(size_t column) {
  std::string out;
  for (size_t n = column + 1; n > 0; n = (n - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

// A workbook from raw sheetData XML and shared strings (make_xlsx writes inline strings only,
// and at most 26 columns).
std::string workbook(const std::string& sheet_data, const std::vector<std::string>& shared = {}) {
  const std::string main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string pkg_ns = "http://schemas.openxmlformats.org/package/2006/relationships";
  std::map<std::string, std::string> files;
  files["_rels/.rels"] = "<?xml version=\"1.0\"?><Relationships xmlns=\"" + pkg_ns +
                         "\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
                         "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  files["xl/workbook.xml"] = "<?xml version=\"1.0\"?><workbook xmlns=\"" + main_ns +
                             "\" xmlns:r=\"" + rel_ns +
                             "\"><sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId1\"/>"
                             "</sheets></workbook>";
  files["xl/_rels/workbook.xml.rels"] =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"" + pkg_ns +
      "\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
      "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" + rel_ns +
      "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
  std::string sst = "<?xml version=\"1.0\"?><sst xmlns=\"" + main_ns + "\">";
  for (const auto& s : shared) sst += "<si><t>" + s + "</t></si>";
  files["xl/sharedStrings.xml"] = sst + "</sst>";
  files["xl/worksheets/sheet1.xml"] = "<?xml version=\"1.0\"?><worksheet xmlns=\"" + main_ns +
                                      "\"><sheetData>" + sheet_data + "</sheetData></worksheet>";
  return make_zip(files);
}

std::string inline_cell(size_t column, size_t row, const std::string& text) {
  return "<c r=\"" + column_name(column) + std::to_string(row) + "\" t=\"inlineStr\"><is><t>" +
         text + "</t></is></c>";
}

// --- 1. bytes that are not UTF-8 in the request target --------------------------------------

TEST_F(InputHardening, QueryAndPathValuesThatAreNotUtf8AreA400NamingTheParameter) {
  auto wf = create_workflow();
  ASSERT_EQ(api().post(leads_path(wf), {{"phone_number", "+14155550100"}}).status, 201);
  expect_error_naming(api().get(leads_path(wf) + "?leadIds=%ff"), 400, "leadIds");
  expect_error_naming(api().get(leads_path(wf) + "?status=%c3%28"), 400, "status");
  expect_error_naming(api().get("/v1/workflows?page=1&limit=%ed%a0%80"), 400, "limit");
  expect_error_naming(api().get("/v1/workflows/%ff"), 400, "id");
  expect_error_naming(api().get(leads_path(wf) + "/wlead_%fe%ff/history"), 400, "leadId");
  expect_error(api().get("/v1/%ff"), 400);  // matches no route: the path as a whole
  // NUL is valid UTF-8 but no database takes it as text.
  expect_error_naming(api().get(leads_path(wf) + "?leadIds=wlead_1%00"), 400, "leadIds");
  expect_error_naming(api().get("/v1/workflows/wf%00x"), 400, "id");
  // Well-formed UTF-8 stays fine.
  EXPECT_EQ(api().get(leads_path(wf) + "?leadIds=%E2%82%AC").status, 200);
  EXPECT_EQ(total(wf), 1);
}

TEST_F(InputHardening, JsonBodyWithBytesThatAreNotUtf8IsA400) {
  auto wf = create_workflow();
  const std::string body =
      "{\"phone_number\": \"+14155550100\", \"dynamic_variables\": {\"name\": \"Jos\xe9\"}}";
  expect_error(api().request("POST", leads_path(wf), body), 400);
  expect_error(api().request("POST", "/v1/workflows", "{\"title\": \"\xff\xfe\"}"), 400);
  EXPECT_EQ(total(wf), 0);
}

// --- 2. CSV files saved in Windows-1252 ----------------------------------------------------

TEST_F(InputHardening, CsvThatIsNotUtf8IsReadAsWindows1252AndTheAnswerSaysSo) {
  auto wf = create_workflow();
  auto res = upload(wf, "leads.csv",
                    "phone_number,name,note\r\n+14155550100,Jos\xe9,\x80 5 \x92ok\x93\r\n"
                    "+14155550101,Fran\xe7ois,\x8a\x9f\r\n");
  ASSERT_EQ(res.status, 201) << res.body;
  const Json body = res.json();
  EXPECT_EQ(body["leads_enrolled"], 2);
  EXPECT_EQ(body["leads_skipped"], 0);
  EXPECT_EQ(body["message"], "Enrolled 2 leads.");
  EXPECT_EQ(body["encoding"], "windows-1252");
  EXPECT_NE(body.value("note", "").find("Windows-1252"), std::string::npos);
  auto data = api().get(leads_path(wf)).json()["data"];
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[1]["dynamic_variables"],
            Json({{"name", "Jos\xc3\xa9"}, {"note", "\xe2\x82\xac 5 \xe2\x80\x99ok\xe2\x80\x9c"}}));
  EXPECT_EQ(data[0]["dynamic_variables"],
            Json({{"name", "Fran\xc3\xa7ois"}, {"note", "\xc5\xa0\xc5\xb8"}}));
}

TEST_F(InputHardening, Utf8CsvWithABomKeepsItsTextAndSaysUtf8) {
  auto wf = create_workflow();
  auto res = upload(wf, "leads.csv", "\xEF\xBB\xBFphone_number,name\n+14155550100,Jos\xc3\xa9\n");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["encoding"], "utf-8");
  EXPECT_FALSE(res.json().contains("note"));
  EXPECT_EQ(api().get(leads_path(wf)).json()["data"][0]["dynamic_variables"]["name"],
            "Jos\xc3\xa9");
}

TEST_F(InputHardening, XlsxTextThatIsNotUtf8IsA400) {
  auto wf = create_workflow();
  const std::string xlsx =
      workbook("<row r=\"1\">" + inline_cell(0, 1, "phone_number") + inline_cell(1, 1, "name") +
               "</row><row r=\"2\">" + inline_cell(0, 2, "+14155550100") +
               inline_cell(1, 2, "Jos\xe9") + "</row>");
  expect_error_naming(upload(wf, "leads.xlsx", xlsx), 400, "UTF-8");
  EXPECT_EQ(total(wf), 0);
}

// --- 3. upload limits, checked while the file is read --------------------------------------

TEST_F(InputHardening, CsvColumnAndCellLimits) {
  auto wf = create_workflow();
  std::string header = "phone_number";
  for (size_t c = 1; c <= limits::kMaxFileColumns; ++c) header += ",c" + std::to_string(c);
  expect_error_naming(upload(wf, "wide.csv", header + "\n+14155550100\n"), 400,
                      std::to_string(limits::kMaxFileColumns) + " columns");
  const std::string big(limits::kMaxCellBytes + 1, 'x');
  expect_error_naming(upload(wf, "big.csv", "phone_number,bio\n+14155550100," + big + "\n"), 400,
                      std::to_string(limits::kMaxCellBytes) + " bytes");
  expect_error_naming(upload(wf, "big.csv", "phone_number,bio\n+14155550100,\"" + big + "\"\n"),
                      400, std::to_string(limits::kMaxCellBytes) + " bytes");
  EXPECT_EQ(total(wf), 0);
}

TEST_F(InputHardening, CsvRowCapIsCheckedAsRowsAreRead) {
  auto wf = create_workflow();
  std::string csv = "phone_number\n";
  for (size_t i = 0; i <= limits::kMaxLeadsPerRequest; ++i)
    csv += phone(static_cast<int>(i)) + "\n";
  // Reading all rows first would report this broken last line instead of the row cap.
  csv += "\"unterminated";
  expect_error_naming(upload(wf, "many.csv", csv), 400,
                      "more than " + std::to_string(limits::kMaxLeadsPerRequest) + " lead rows");
  EXPECT_EQ(total(wf), 0);
}

TEST_F(InputHardening, CsvCellCapBoundsPaddedShortRows) {
  // A wide header over short rows would be padded into millions of empty cells.
  auto wf = create_workflow();
  std::string csv = "phone_number";
  for (size_t c = 1; c < limits::kMaxFileColumns; ++c) csv += ",c" + std::to_string(c);
  csv += "\n";
  const size_t rows = limits::kMaxFileCells / limits::kMaxFileColumns + 1;
  for (size_t i = 0; i < rows; ++i) csv += phone(static_cast<int>(i)) + "\n";
  expect_error_naming(upload(wf, "padded.csv", csv), 400,
                      std::to_string(limits::kMaxFileCells) + " cells");
  EXPECT_EQ(total(wf), 0);
}

TEST_F(InputHardening, XlsxZipBombIsRefusedBeforeItIsUnpacked) {
  auto wf = create_workflow();
  // 20 MB of blanks deflate ~1000:1.
  const std::string padding(20u << 20, ' ');
  const std::string xlsx =
      workbook("<row r=\"1\">" + inline_cell(0, 1, "phone_number") + "</row>" + padding +
               "<row r=\"2\">" + inline_cell(0, 2, "+14155550100") + "</row>");
  ASSERT_LT(xlsx.size(), 1u << 20);
  expect_error_naming(upload(wf, "bomb.xlsx", xlsx), 400,
                      std::to_string(limits::kMaxXlsxCompressionRatio) + ":1");
  EXPECT_EQ(total(wf), 0);
}

TEST_F(InputHardening, XlsxSharedStringInEveryCellCannotBlowUpMemory) {
  auto wf = create_workflow();
  const std::string long_text(30'000, 'y');
  const size_t rows = limits::kMaxFileTextBytes / long_text.size() + 10;
  std::string sheet =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>";
  for (size_t r = 2; r < rows + 2; ++r) {
    const std::string n = std::to_string(r);
    sheet += "<row r=\"" + n + "\">" + inline_cell(0, r, phone(static_cast<int>(r))) + "<c r=\"B" +
             n + "\" t=\"s\"><v>2</v></c></row>";
  }
  const std::string xlsx = workbook(sheet, {"phone_number", "bio", long_text});
  expect_error_naming(upload(wf, "shared.xlsx", xlsx), 400,
                      std::to_string(limits::kMaxFileTextBytes) + " bytes of cell text");
  EXPECT_EQ(total(wf), 0);
}

TEST_F(InputHardening, XlsxColumnAndCellLimits) {
  auto wf = create_workflow();
  std::string header = "<row r=\"1\">" + inline_cell(0, 1, "phone_number");
  for (size_t c = 1; c <= limits::kMaxFileColumns; ++c)
    header += inline_cell(c, 1, "c" + std::to_string(c));
  header += "</row>";
  expect_error_naming(upload(wf, "wide.xlsx", workbook(header)), 400,
                      std::to_string(limits::kMaxFileColumns) + " columns");
  const std::string big = "<row r=\"1\">" + inline_cell(0, 1, "phone_number") +
                          inline_cell(1, 1, "bio") + "</row><row r=\"2\">" +
                          inline_cell(0, 2, "+14155550100") +
                          inline_cell(1, 2, std::string(limits::kMaxCellBytes + 1, 'x')) + "</row>";
  expect_error_naming(upload(wf, "big.xlsx", workbook(big)), 400,
                      std::to_string(limits::kMaxCellBytes) + " bytes");
  EXPECT_EQ(total(wf), 0);
}

TEST_F(InputHardening, MultipartPartCountAndHeaderSizeAreBounded) {
  auto wf = create_workflow();
  MultipartBody many;
  for (size_t i = 0; i < limits::kMaxMultipartParts; ++i) many.field("f" + std::to_string(i), "x");
  many.file("file", "leads.csv", "phone_number\n+14155550100\n");
  expect_error_naming(api().request("POST", leads_path(wf), many.body(),
                                    {{"Content-Type", MultipartBody::content_type()}}),
                      400, std::to_string(limits::kMaxMultipartParts) + " parts");
  // A part whose headers run past the limit (a long but well-formed filename).
  const std::string filename(limits::kMaxMultipartHeaderBytes, 'a');
  expect_error_naming(upload(wf, filename + ".csv", "phone_number\n+14155550100\n"), 400,
                      std::to_string(limits::kMaxMultipartHeaderBytes) + " bytes");
  EXPECT_EQ(total(wf), 0);
}

// --- 4. and 5. one lead's variables: row errors in every form -------------------------------

TEST_F(InputHardening, VariableLimitsAreRowErrorsInJson) {
  auto wf = create_workflow();
  Json many = Json::object();
  for (size_t i = 0; i <= limits::kMaxVariablesPerLead; ++i) many["v" + std::to_string(i)] = "x";
  const std::string long_name(limits::kMaxVariableNameBytes + 1, 'n');
  const std::string long_value(limits::kMaxVariableValueBytes + 1, 'v');
  Json leads = Json::array(
      {{{"phone_number", phone(1)}, {"dynamic_variables", many}},
       {{"phone_number", phone(2)}, {"dynamic_variables", {{long_name, "x"}}}},
       {{"phone_number", phone(3)}, {"metadata", {{"bio", long_value}}}},
       {{"phone_number", phone(4)},
        {"dynamic_variables", {{"bio", std::string(limits::kMaxVariableValueBytes, 'v')}}}},
       {{"phone_number", phone(5)}, {"dynamic_variables", {{"timezone", "Mars/Base"}}}},
       {{"phone_number", phone(6)}, {"dynamic_variables", {{"timezone", "Europe/Paris"}}}},
       {{"phone_number", phone(8)}, {"dynamic_variables", {{std::string("a\0b", 3), "x"}}}}});
  auto res = api().post(leads_path(wf), {{"leads", leads}});
  expect_error(res, 400);
  const std::string text = message(res);
  EXPECT_NE(text.find("Row 1: dynamic_variables holds 101 variables; at most 100"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Row 2: variable name dynamic_variables.nnnn"), std::string::npos) << text;
  EXPECT_NE(text.find("longer than 64 bytes"), std::string::npos) << text;
  EXPECT_NE(text.find("Row 3: metadata.bio is longer than 4096 bytes"), std::string::npos) << text;
  EXPECT_NE(text.find("Row 5: dynamic_variables.timezone Mars/Base is not an IANA time zone"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Row 7: variable names must not contain NUL characters"), std::string::npos)
      << text;
  EXPECT_EQ(total(wf), 0);

  res = api().post(leads_path(wf) + "?skip_invalid=true", {{"leads", leads}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["leads_enrolled"], 2);
  EXPECT_EQ(res.json()["leads_skipped"], 5);
  EXPECT_EQ(total(wf), 2);

  // The one-lead form names the problem without a row number.
  res = api().post(leads_path(wf),
                   {{"phone_number", phone(7)}, {"dynamic_variables", {{"timezone", "utc+2"}}}});
  expect_error(res, 400);
  EXPECT_NE(message(res).find("dynamic_variables.timezone utc+2 is not an IANA time zone"),
            std::string::npos)
      << res.body;
}

TEST_F(InputHardening, VariableLimitsAreRowErrorsInFiles) {
  auto wf = create_workflow();
  const std::string long_value(limits::kMaxVariableValueBytes + 1, 'v');
  const std::string csv = "phone_number,bio,timezone\n" + phone(1) + ",short,America/New_York\n" +
                          phone(2) + "," + long_value + ",\n" + phone(3) + ",ok,Nowhere/City\n";
  auto res = upload(wf, "leads.csv", csv);
  expect_error(res, 400);
  EXPECT_NE(message(res).find("Row 3: bio is longer than 4096 bytes"), std::string::npos)
      << res.body.substr(0, 500);
  EXPECT_NE(message(res).find("Row 4: timezone Nowhere/City is not an IANA time zone"),
            std::string::npos)
      << res.body.substr(0, 500);
  EXPECT_EQ(total(wf), 0);
  res = upload(wf, "leads.csv", csv, "?skip_invalid=true");
  ASSERT_EQ(res.status, 201) << res.body.substr(0, 500);
  EXPECT_EQ(res.json()["leads_enrolled"], 1);
  EXPECT_EQ(res.json()["skipped"].size(), 2u);
  EXPECT_EQ(res.json()["skipped"][0]["row"], 3);

  // XLSX: a column name over the limit fails each row that has a value in it.
  const std::string long_name(limits::kMaxVariableNameBytes + 1, 'n');
  auto wf2 = create_workflow();
  res = upload(wf2, "leads.xlsx",
               make_xlsx({{"phone_number", long_name}, {phone(1), "x"}, {phone(2), ""}}),
               "?skip_invalid=true");
  ASSERT_EQ(res.status, 201) << res.body.substr(0, 500);
  EXPECT_EQ(res.json()["leads_enrolled"], 1);
  ASSERT_EQ(res.json()["skipped"].size(), 1u);
  EXPECT_EQ(res.json()["skipped"][0]["row"], 2);
  EXPECT_NE(res.json()["skipped"][0]["reason"].get<std::string>().find("longer than 64 bytes"),
            std::string::npos);
}

}  // namespace
}  // namespace leadline::test
