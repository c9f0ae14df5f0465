// Lead routes (spec §5) over real HTTP against a real SQLite file: the three enrolment forms,
// row errors, duplicates, listing, removal, history and variable names.
#include <chrono>
#include <iostream>

#include "api/api_fixture.h"
#include "engine/engine_fixture.h"
#include "support/multipart_body.h"
#include "support/xlsx_file.h"

namespace leadline::test {
namespace {

class LeadsApi : public ApiTest {
 protected:
  std::string leads_path(const std::string& wf) { return "/v1/workflows/" + wf + "/leads"; }
  HttpResult enroll(const std::string& wf, const Json& body, const std::string& query = "") {
    return api().post(leads_path(wf) + query, body);
  }
  HttpResult upload(const std::string& wf, const std::string& filename, const std::string& data,
                    const std::string& content_type = "application/octet-stream") {
    MultipartBody form;
    form.field("note", "ignored").file("file", filename, data, content_type);
    return api().request("POST", leads_path(wf), form.body(),
                         {{"Content-Type", MultipartBody::content_type()}});
  }
  Json list(const std::string& wf, const std::string& query = "") {
    auto res = api().get(leads_path(wf) + query);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json();
  }
  // The i-th of distinct valid numbers: +1 212 200-0000, +1 212 200-0001, ...
  static std::string numbered_phone(int i) {
    char phone[32];
    std::snprintf(phone, sizeof phone, "+1212%03d%04d", 200 + i / 10'000, i % 10'000);
    return phone;
  }
  static Json phones(const std::vector<std::string>& numbers) {
    Json leads = Json::array();
    for (const auto& n : numbers) leads.push_back({{"phone_number", n}});
    return {{"leads", leads}};
  }
};

TEST_F(LeadsApi, EnrollsOneLeadWithE164PhoneAndStringVariables) {
  auto wf = create_workflow();
  auto res = enroll(wf, {{"phone_number", "(415) 555-0100"},
                         {"dynamic_variables",
                          {{"name", "Ann"},
                           {"age", 42},
                           {"vip", true},
                           {"score", 1.5},
                           {"whole", 3.0},
                           {"none", nullptr}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  auto body = res.json();
  EXPECT_EQ(body["workflow_id"], wf);
  EXPECT_EQ(body["leads_enrolled"], 1);
  EXPECT_EQ(body["leads_skipped"], 0);
  EXPECT_EQ(body["skipped"], Json::array());
  ASSERT_EQ(body["lead_ids"].size(), 1u);
  const std::string id = body["lead_ids"][0];
  EXPECT_TRUE(id.starts_with("wlead_"));
  EXPECT_EQ(body["lead"]["id"], id);

  auto lead = api().get(leads_path(wf) + "/" + id).json();
  EXPECT_EQ(lead["phone_number"], "+14155550100");
  EXPECT_EQ(
      lead["dynamic_variables"],
      Json({{"name", "Ann"}, {"age", "42"}, {"vip", "true"}, {"score", "1.5"}, {"whole", "3"}}));
  EXPECT_EQ(lead["status"], "pending");
  EXPECT_EQ(lead["workflow_id"], wf);
  EXPECT_EQ(lead["current_node_id"], nullptr);
  EXPECT_EQ(lead["stalled"], false);
  EXPECT_EQ(lead["next_action_at"], lead["enrolled_at"]);  // due at once, once active
  EXPECT_EQ(lead["created_at"].get<std::string>().size(), 24u);
  EXPECT_EQ(api().get("/v1/workflows/" + wf).json()["enrolled_leads"], 1);
}

TEST_F(LeadsApi, MetadataIsAnotherNameForDynamicVariables) {
  auto wf = create_workflow();
  auto res = enroll(wf, {{"phone_number", "+14155550100"}, {"metadata", {{"city", "Oslo"}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["lead"]["dynamic_variables"], Json({{"city", "Oslo"}}));
}

TEST_F(LeadsApi, NationalNumbersUseTheWorkflowDefaultCountry) {
  auto wf = create_workflow();
  ASSERT_EQ(api().patch("/v1/workflows/" + wf, {{"settings", {{"default_country", "GB"}}}}).status,
            200);
  auto res = enroll(wf, {{"phone_number", "07400 123456"}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["lead"]["phone_number"], "+447400123456");
  // An international number ignores the default.
  res = enroll(wf, {{"phone_number", "+1 415 555 0101"}});
  EXPECT_EQ(res.json()["lead"]["phone_number"], "+14155550101");
}

TEST_F(LeadsApi, SingleLeadErrorsNameTheFieldWithoutRowNumbers) {
  auto wf = create_workflow();
  auto res = enroll(wf, {{"dynamic_variables", {{"tags", Json::array({"a"})}}}});
  expect_error(res, 400);
  EXPECT_EQ(res.json()["message"], Json({"phone_number is required",
                                         "dynamic_variables.tags must be a string, "
                                         "number or boolean"}));
}

TEST_F(LeadsApi, BulkIsAllOrNothingWithErrorsGroupedByReason) {
  auto wf = create_workflow();
  Json body = {{"leads",
                {{{"phone_number", "+14155550100"}},
                 {{"phone_number", "banana"}},
                 {{"phone_number", "+14155550102"}, {"dynamic_variables", {{"x", {{"y", 1}}}}}},
                 {{"phone_number", "apple"}},
                 "not an object"}}};
  auto res = enroll(wf, body);
  expect_error(res, 400);
  auto error = res.json();
  EXPECT_EQ(error["message"], Json({"Row 2, 4: phone_number is not a phone number",
                                    "Row 3: dynamic_variables.x must be a string, number or "
                                    "boolean",
                                    "Row 5: lead must be an object"}));
  EXPECT_EQ(error["errors"][0],
            Json({{"reason", "phone_number is not a phone number"}, {"rows", {2, 4}}}));
  EXPECT_EQ(list(wf)["meta"]["total"], 0);
  EXPECT_EQ(api().get("/v1/workflows/" + wf).json()["enrolled_leads"], 0);
  EXPECT_EQ(api().get(leads_path(wf) + "/variable-keys").json()["keys"], Json::array());
}

TEST_F(LeadsApi, SkipInvalidEnrollsTheValidRowsAndReportsTheRest) {
  auto wf = create_workflow();
  auto res = enroll(wf, phones({"+14155550100", "12", "+14155550101"}), "?skip_invalid=true");
  ASSERT_EQ(res.status, 201) << res.body;
  auto body = res.json();
  EXPECT_EQ(body["leads_enrolled"], 2);
  EXPECT_EQ(body["leads_skipped"], 1);
  ASSERT_EQ(body["skipped"].size(), 1u);
  EXPECT_EQ(body["skipped"][0]["row"], 2);
  EXPECT_EQ(body["skipped"][0]["phone_number"], "12");
  EXPECT_TRUE(body["skipped"][0]["reason"].get<std::string>().starts_with("phone_number is"));
  EXPECT_EQ(list(wf)["meta"]["total"], 2);
  expect_error(enroll(wf, phones({"+14155550100"}), "?skip_invalid=maybe"), 400);
}

TEST_F(LeadsApi, DuplicatesAreSkippedUnlessReenrollmentIsAllowed) {
  auto wf = create_workflow();
  ASSERT_EQ(enroll(wf, phones({"+14155550100"})).status, 201);
  auto res = enroll(wf, phones({"(415) 555-0100", "+14155550101", "415-555-0101"}));
  ASSERT_EQ(res.status, 201) << res.body;
  auto body = res.json();
  EXPECT_EQ(body["leads_enrolled"], 1);
  EXPECT_EQ(body["leads_skipped"], 2);
  EXPECT_EQ(body["skipped"], Json::parse(R"([
      {"row": 1, "phone_number": "+14155550100", "reason": "duplicate"},
      {"row": 3, "phone_number": "+14155550101", "reason": "duplicate"}])"));

  // A lead that left the workflow no longer blocks its number.
  const std::string first = list(wf, "?limit=100")["data"][1]["id"];
  ASSERT_EQ(api().del(leads_path(wf) + "/" + first).status, 200);
  EXPECT_EQ(enroll(wf, phones({"+14155550100"})).json()["leads_enrolled"], 1);

  ASSERT_EQ(
      api().patch("/v1/workflows/" + wf, {{"settings", {{"allow_reenrollment", true}}}}).status,
      200);
  res = enroll(wf, phones({"+14155550100", "+14155550100"}));
  EXPECT_EQ(res.json()["leads_enrolled"], 2) << res.body;
  EXPECT_EQ(list(wf)["meta"]["total"], 5);
}

TEST_F(LeadsApi, BulkSizeLimits) {
  auto wf = create_workflow();
  auto res = enroll(wf, {{"leads", Json::array()}});
  expect_error(res, 400);
  Json many = Json::array();
  for (int i = 0; i < 100'001; ++i) many.push_back({{"phone_number", "+14155550100"}});
  res = enroll(wf, {{"leads", many}});
  expect_error(res, 400);
  EXPECT_NE(res.json()["message"].get<std::string>().find("100,000"), std::string::npos);
  expect_error(enroll(wf, {{"leads", "+14155550100"}}), 400);
}

TEST_F(LeadsApi, EnrolsOneHundredThousandLeadsInOneRequest) {
  auto wf = create_workflow();
  Json leads = Json::array();
  for (int i = 0; i < 100'000; ++i) {
    leads.push_back(
        {{"phone_number", numbered_phone(i)},
         {"dynamic_variables", {{"name", "Lead " + std::to_string(i)}, {"plan", "gold"}}}});
  }
  const std::string body = Json{{"leads", leads}}.dump();
  const auto start = std::chrono::steady_clock::now();
  auto res = api().request("POST", leads_path(wf), body);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  ASSERT_EQ(res.status, 201) << res.body.substr(0, 500);
  EXPECT_EQ(res.json()["leads_enrolled"], 100'000);
  std::cout << "[ timing ] 100,000 leads in one request: " << ms << " ms (" << body.size() / 1024
            << " KiB)\n";
  // Again: every number is now a duplicate, which takes the per-row look-up path.
  const auto again = std::chrono::steady_clock::now();
  res = api().request("POST", leads_path(wf), body);
  std::cout << "[ timing ] 100,000 duplicates in one request: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - again)
                   .count()
            << " ms\n";
  EXPECT_EQ(res.json()["leads_skipped"], 100'000);
  EXPECT_EQ(list(wf)["meta"]["total"], 100'000);
}

// A large request reaches the store in chunks of 10,000 rows, checked while the chunk before
// is written. Rows 1-10,000 are valid, rows 10,001-20,000 all invalid (a chunk that yields no
// lead), rows 20,001-25,000 valid again with row 25,000 repeating row 1's number.
TEST_F(LeadsApi, ChunksOfALargeRequestAreOneEnrolment) {
  auto wf = create_workflow();
  Json leads = Json::array();
  for (int i = 0; i < 25'000; ++i) {
    const bool invalid = i >= 10'000 && i < 20'000;
    leads.push_back({{"phone_number", invalid ? "12" : numbered_phone(i)},
                     {"dynamic_variables", {{"chunk" + std::to_string(i / 10'000), "x"}}}});
  }
  leads[24'999]["phone_number"] = leads[0]["phone_number"];
  const Json body = {{"leads", leads}};

  // Without skip_invalid the chunk before the invalid rows was written already: it is rolled
  // back, and the answer names every invalid row, not only the first chunk's.
  auto res = enroll(wf, body);
  expect_error(res, 400);
  EXPECT_EQ(res.json()["errors"][0]["rows"].size(), 10'000u) << res.body.substr(0, 300);
  EXPECT_EQ(res.json()["errors"][0]["rows"][9'999], 20'000);
  EXPECT_EQ(list(wf)["meta"]["total"], 0);
  EXPECT_EQ(api().get("/v1/workflows/" + wf).json()["enrolled_leads"], 0);
  EXPECT_EQ(api().get(leads_path(wf) + "/variable-keys").json()["keys"], Json::array());

  res = enroll(wf, body, "?skip_invalid=true");
  ASSERT_EQ(res.status, 201) << res.body.substr(0, 300);
  const Json answer = res.json();
  EXPECT_EQ(answer["leads_enrolled"], 14'999);
  EXPECT_EQ(answer["leads_skipped"], 10'001);
  EXPECT_EQ(answer["skipped"].back(),
            Json({{"row", 25'000}, {"phone_number", "+12122000000"}, {"reason", "duplicate"}}));
  EXPECT_EQ(list(wf)["meta"]["total"], 14'999);
  EXPECT_EQ(api().get("/v1/workflows/" + wf).json()["enrolled_leads"], 14'999);
  EXPECT_EQ(api().get(leads_path(wf) + "/variable-keys").json()["keys"],
            Json({"chunk0", "chunk2"}));
  // The ids answered are the leads stored, in row order.
  const Json newest = list(wf, "?limit=1")["data"][0];
  EXPECT_EQ(newest["id"], answer["lead_ids"].back());
  EXPECT_EQ(newest["phone_number"], "+12122024998");
}

TEST_F(LeadsApi, CsvUploadEnrollsRowsWithColumnsAsVariables) {
  auto wf = create_workflow();
  auto res =
      upload(wf, "leads.csv",
             " Phone_Number ,name,city\r\n+14155550100,Ann,\r\n(415) 555-0101,Bob,Paris\r\n");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["leads_enrolled"], 2);
  auto data = list(wf)["data"];
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0]["phone_number"], "+14155550101");  // newest first
  EXPECT_EQ(data[0]["dynamic_variables"], Json({{"name", "Bob"}, {"city", "Paris"}}));
  EXPECT_EQ(data[1]["dynamic_variables"], Json({{"name", "Ann"}}));  // empty cells omitted
}

TEST_F(LeadsApi, FileRowErrorsUseSpreadsheetRowNumbers) {
  auto wf = create_workflow();
  auto res = upload(wf, "leads.csv", "phone_number\n+14155550100\nnope\n+14155550101\nnope\n");
  expect_error(res, 400);
  EXPECT_EQ(res.json()["message"], Json({"Row 3, 5: phone_number is not a phone number"}));
  EXPECT_EQ(list(wf)["meta"]["total"], 0);
}

TEST_F(LeadsApi, FileNeedsAPhoneNumberColumnAndRows) {
  auto wf = create_workflow();
  auto res = upload(wf, "leads.csv", "phone,name\n+14155550100,Ann\n");
  expect_error(res, 400);
  EXPECT_NE(res.json()["message"].get<std::string>().find("phone_number"), std::string::npos);
  expect_error(upload(wf, "leads.csv", "phone_number,name\n"), 400);
  expect_error(upload(wf, "leads.csv", "phone_number,\"broken\n+1415"), 400);
}

TEST_F(LeadsApi, XlsxUploadEnrollsRows) {
  auto wf = create_workflow();
  const std::string xlsx = make_xlsx({{"name", "PHONE_NUMBER", "plan"},
                                      {"Ann", "+14155550100", "gold"},
                                      {"Bob", "4155550101", ""}});
  // Without an extension the zip signature tells XLSX from CSV.
  auto res = upload(wf, "export", xlsx);
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["leads_enrolled"], 2);
  auto data = list(wf)["data"];
  EXPECT_EQ(data[0]["phone_number"], "+14155550101");
  EXPECT_EQ(data[0]["dynamic_variables"], Json({{"name", "Bob"}}));
  EXPECT_EQ(data[1]["dynamic_variables"], Json({{"name", "Ann"}, {"plan", "gold"}}));
}

TEST_F(LeadsApi, BrokenXlsxIsABadRequest) {
  auto wf = create_workflow();
  // Starts like a zip archive (so it is read as XLSX) but is not one.
  auto res = upload(wf, "leads.xlsx", std::string("PK\x03\x04") + " this is not a workbook");
  expect_error(res, 400);
  EXPECT_NE(res.json()["message"].get<std::string>().find("XLSX"), std::string::npos);
}

TEST_F(LeadsApi, RejectsOtherContentTypesMissingFilesAndHugeFiles) {
  auto wf = create_workflow();
  expect_error(
      api().request("POST", leads_path(wf), "<leads/>", {{"Content-Type", "application/xml"}}),
      415);
  MultipartBody no_file;
  no_file.field("phone_number", "+14155550100");
  expect_error(api().request("POST", leads_path(wf), no_file.body(),
                             {{"Content-Type", MultipartBody::content_type()}}),
               400);
  expect_error(api().request("POST", leads_path(wf), "--x\r\nnothing",
                             {{"Content-Type", "multipart/form-data; boundary=x"}}),
               400);
  std::string huge = "phone_number\n";
  huge.resize((50u << 20) + 1, '1');
  expect_error(upload(wf, "big.csv", huge), 413);
  expect_error(enroll(wf, Json::array()), 400);  // not an object
  EXPECT_EQ(list(wf)["meta"]["total"], 0);
}

TEST_F(LeadsApi, EnrolmentIsRefusedInFinishedWorkflowsAndHiddenAcrossOrganizations) {
  auto wf = create_workflow();
  ASSERT_EQ(enroll(wf, phones({"+14155550100"})).status, 201);
  const std::string lead = list(wf)["data"][0]["id"];
  HttpClient other(port_, new_org_key("Other"));
  for (const auto& path :
       {leads_path(wf), leads_path(wf) + "/" + lead, leads_path(wf) + "/" + lead + "/history",
        leads_path(wf) + "/variable-keys"})
    expect_error(other.get(path), 404);
  expect_error(other.post(leads_path(wf), {{"phone_number", "+14155550101"}}), 404);
  expect_error(other.del(leads_path(wf) + "/" + lead), 404);
  expect_error(enroll("wf_doesnotexist00", phones({"+14155550101"})), 404);

  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/cancel").status, 200);
  expect_error(enroll(wf, phones({"+14155550101"})), 409);
  EXPECT_EQ(list(wf)["data"][0]["status"], "cancelled");
}

TEST_F(LeadsApi, ListFiltersAndPages) {
  auto wf = create_workflow();
  auto ids = enroll(wf, phones({"+14155550100", "+14155550101", "+14155550102", "+14155550103",
                                "+14155550104"}))
                 .json()["lead_ids"];
  auto page = list(wf, "?limit=2&page=2");
  EXPECT_EQ(page["meta"], Json({{"page", 2}, {"limit", 2}, {"total", 5}, {"totalPages", 3}}));
  ASSERT_EQ(page["data"].size(), 2u);
  EXPECT_EQ(page["data"][0]["id"], ids[2]);  // newest first: same time, later row first
  EXPECT_EQ(list(wf, "?status=pending")["meta"]["total"], 5);
  EXPECT_EQ(list(wf, "?status=in_progress")["meta"]["total"], 0);
  EXPECT_EQ(list(wf, "?current_node_id=node_x")["meta"]["total"], 0);
  auto picked =
      list(wf, "?leadIds=" + ids[0].get<std::string>() + ",%20" + ids[3].get<std::string>() + ",");
  EXPECT_EQ(picked["meta"]["total"], 2);
  EXPECT_EQ(picked["data"][0]["id"], ids[3]);
  expect_error(api().get(leads_path(wf) + "?status=busy"), 400);
  expect_error(api().get(leads_path(wf) + "?limit=101"), 400);
  expect_error(api().get(leads_path(wf) + "?page=0"), 400);
}

TEST_F(LeadsApi, RemoveMarksTheLeadRemovedOnce) {
  auto wf = create_workflow();
  const std::string id = enroll(wf, phones({"+14155550100"})).json()["lead_ids"][0];
  auto res = api().del(leads_path(wf) + "/" + id);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json(), Json({{"message", "Lead removed from workflow."}}));
  auto lead = api().get(leads_path(wf) + "/" + id).json();
  EXPECT_EQ(lead["status"], "removed");
  EXPECT_EQ(lead["next_action_at"], nullptr);
  expect_error(api().del(leads_path(wf) + "/" + id), 409);
  expect_error(api().del(leads_path(wf) + "/wlead_doesnotexist00"), 404);
  expect_error(api().get(leads_path(wf) + "/wlead_doesnotexist00"), 404);
  EXPECT_EQ(list(wf, "?status=removed")["meta"]["total"], 1);
}

TEST_F(LeadsApi, HistoryOfAFreshLeadIsEmpty) {
  auto wf = create_workflow();
  const std::string id = enroll(wf, phones({"+14155550100"})).json()["lead_ids"][0];
  auto res = api().get(leads_path(wf) + "/" + id + "/history");
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = res.json();
  EXPECT_EQ(body["lead"]["id"], id);
  EXPECT_EQ(body["execution"]["current_node_id"], nullptr);
  EXPECT_EQ(body["execution"]["status"], "pending");
  EXPECT_EQ(body["execution"]["entered_at"], nullptr);
  EXPECT_EQ(body["execution"]["next_action_at"], body["lead"]["next_action_at"]);
  EXPECT_EQ(body["history"], Json::array());
  expect_error(api().get(leads_path(wf) + "/wlead_doesnotexist00/history"), 404);
}

TEST_F(LeadsApi, VariableKeysKeepFirstSeenOrderAcrossForms) {
  auto wf = create_workflow();
  ASSERT_EQ(
      enroll(wf,
             {{"leads",
               {{{"phone_number", "+14155550100"},
                 {"dynamic_variables", {{"zeta", "1"}, {"alpha", "2"}}}},
                {{"phone_number", "+14155550101"}, {"metadata", {{"mid", "3"}, {"zeta", "4"}}}}}}})
          .status,
      201);
  ASSERT_EQ(upload(wf, "more.csv", "beta,phone_number,alpha\nb,+14155550102,a\n").status, 201);
  auto res = api().get(leads_path(wf) + "/variable-keys");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json(), Json({{"keys", {"zeta", "alpha", "mid", "beta"}}}));
}

using LeadsOnTheGraph = EngineTest;

TEST_F(LeadsOnTheGraph, HistoryShowsTheVisitUnderWayAndRemovalLetsTheCallFinish) {
  auto wf = create_valid_workflow();
  activate(wf);
  const std::string id = enroll(wf, {{"sim_outcomes", "COMPLETED"}});
  const std::string leads = "/v1/workflows/" + wf + "/leads";
  settle();  // the lead enters the VOICE_CALL node and its call starts
  auto res = api().get(leads + "/" + id + "/history");
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = res.json();
  EXPECT_EQ(body["execution"]["status"], "active");
  const Json node_id = body["execution"]["current_node_id"];
  ASSERT_TRUE(node_id.is_string()) << body;
  EXPECT_EQ(body["execution"]["entered_at"], util::format_iso(kStart));
  ASSERT_FALSE(body["history"].empty());
  const Json current = body["history"].back();
  EXPECT_EQ(current["node_id"], node_id);
  EXPECT_EQ(current["node_type"], "VOICE_CALL");
  EXPECT_EQ(current["label"], "Voice call");
  EXPECT_EQ(current["status"], "waiting");
  EXPECT_EQ(current["started_at"], util::format_iso(kStart));
  EXPECT_EQ(current["ended_at"], nullptr);
  EXPECT_TRUE(current["call_id"].is_string()) << current;
  EXPECT_EQ(api()
                .get(leads + "?status=in_progress&current_node_id=" + node_id.get<std::string>())
                .json()["meta"]["total"],
            1);

  clock_->advance(std::chrono::seconds(5));
  ASSERT_EQ(api().del(leads + "/" + id).status, 200);
  auto lead = api().get(leads + "/" + id).json();
  EXPECT_EQ(lead["status"], "removed");
  EXPECT_NE(lead["next_action_at"], nullptr);  // the call in flight is still recorded
  auto history = api().get(leads + "/" + id + "/history").json()["history"];
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back()["status"], "removed");
  EXPECT_EQ(history.back()["node_type"], "VOICE_CALL");
  EXPECT_EQ(history.back()["started_at"], util::format_iso(kStart));
  EXPECT_EQ(history.back()["ended_at"], util::format_iso(kStart + 5000));
  expect_error(api().del(leads + "/" + id), 409);

  advance(std::chrono::seconds(30));  // the call ends; the lead goes nowhere
  EXPECT_EQ(api().get(leads + "/" + id).json()["status"], "removed");
  EXPECT_EQ(calls_of(id).size(), 1u);
}

}  // namespace
}  // namespace leadline::test
