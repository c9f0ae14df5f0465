// The do-not-call list through the API (compliance extension, spec §7a): entries added one at
// a time, in lists and from files, read back, replaced and deleted; enrolment skipping the
// numbers it lists. What the engine does with them is in tests/engine/suppression_test.cpp.
#include "api/api_fixture.h"
#include "support/multipart_body.h"

namespace leadline::test {
namespace {

class Suppressions : public ApiTest {
 protected:
  static constexpr const char* kPath = "/v1/suppressions";
  Json list(const std::string& query = "") {
    auto res = api().get(std::string(kPath) + query);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json();
  }
  HttpResult upload(const std::string& filename, const std::string& data,
                    const std::string& query = "") {
    MultipartBody form;
    form.file("file", filename, data, "text/csv");
    return api().request("POST", std::string(kPath) + query, form.body(),
                         {{"Content-Type", MultipartBody::content_type()}});
  }
};

TEST_F(Suppressions, AnEntryIsAddedReadReplacedAndDeleted) {
  auto res = api().post(kPath, {{"phone_number", "(415) 555-0100"}, {"reason", "asked"}});
  ASSERT_EQ(res.status, 201) << res.body;
  const Json entry = res.json();
  const std::string id = entry["id"];
  EXPECT_TRUE(id.starts_with("sup_")) << id;
  EXPECT_EQ(entry["phone_number"], "+14155550100");  // the national form, read as US
  EXPECT_EQ(entry["reason"], "asked");
  EXPECT_EQ(entry["source"], "api");
  EXPECT_EQ(entry["workflow_id"], nullptr);
  EXPECT_EQ(entry["expires_at"], nullptr);
  EXPECT_EQ(api().get(std::string(kPath) + "/" + id).json(), entry);

  // The same number again replaces what the entry says; it stays one entry.
  res = api().post(kPath, {{"phone_number", "+14155550100"},
                           {"reason", "complaint"},
                           {"expires_at", "2030-01-01T00:00:00Z"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["id"], id);
  EXPECT_EQ(res.json()["reason"], "complaint");
  EXPECT_EQ(res.json()["expires_at"], "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(list()["meta"]["total"], 1);

  ASSERT_EQ(api().post(kPath, {{"phone_number", "+442071234567"}}).status, 201);
  EXPECT_EQ(list()["meta"]["total"], 2);
  EXPECT_EQ(list()["data"][0]["phone_number"], "+442071234567");  // newest first
  Json found = list("?search=555%200100");
  ASSERT_EQ(found["meta"]["total"], 1);
  EXPECT_EQ(found["data"][0]["id"], id);
  EXPECT_EQ(list("?search=999")["meta"]["total"], 0);
  expect_error(api().get(std::string(kPath) + "?search=abc"), 400);

  HttpClient other(port_, new_org_key("Other"));
  expect_error(other.get(std::string(kPath) + "/" + id), 404);
  expect_error(other.del(std::string(kPath) + "/" + id), 404);
  EXPECT_EQ(other.get(kPath).json()["meta"]["total"], 0);

  ASSERT_EQ(api().del(std::string(kPath) + "/" + id).status, 200);
  expect_error(api().get(std::string(kPath) + "/" + id), 404);
  expect_error(api().del(std::string(kPath) + "/" + id), 404);
  EXPECT_EQ(list()["meta"]["total"], 1);
}

TEST_F(Suppressions, BadEntriesAreRefusedAndChangeNothing) {
  auto wf = create_workflow();
  expect_error(api().post(kPath, Json::array()), 400);
  expect_error(api().post(kPath, {{"reason", "no number"}}), 400);
  expect_error(api().post(kPath, {{"phone_number", "not a number"}}), 400);
  expect_error(api().post(kPath, {{"phone_number", "+14155550100"}, {"reason", 5}}), 400);
  expect_error(
      api().post(kPath, {{"phone_number", "+14155550100"}, {"reason", std::string(501, 'x')}}),
      400);
  expect_error(
      api().post(kPath, {{"phone_number", "+14155550100"}, {"expires_at", "2001-01-01T00:00:00Z"}}),
      400);
  expect_error(api().post(kPath, {{"phone_number", "+14155550100"}, {"expires_at", "soon"}}), 400);
  expect_error(api().post(kPath, {{"phone_number", "+14155550100"}, {"workflow_id", "wf_nope"}}),
               400);
  expect_error(api().post(kPath, {{"entries", Json::array()}}), 400);
  // One bad row refuses the whole list, naming the row.
  auto res = api().post(kPath, {{"entries",
                                 {{{"phone_number", "+14155550100"}},
                                  {{"phone_number", "nope"}},
                                  {{"phone_number", "+14155550102"}, {"workflow_id", wf}}}}});
  expect_error(res, 400);
  ASSERT_EQ(res.json()["errors"].size(), 1u) << res.body;
  EXPECT_EQ(res.json()["errors"][0]["row"], 2);
  EXPECT_EQ(list()["meta"]["total"], 0);

  // skip_invalid adds the rest.
  res = api().post(std::string(kPath) + "?skip_invalid=true",
                   {{"entries",
                     {{{"phone_number", "+14155550100"}},
                      {{"phone_number", "nope"}},
                      {{"phone_number", "+14155550102"}, {"workflow_id", wf}}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["added"], 2);
  EXPECT_EQ(res.json()["skipped"], 1);
  EXPECT_EQ(res.json()["entries"][1]["workflow_id"], wf);
  EXPECT_EQ(list("?workflow_id=" + wf)["meta"]["total"], 1);
  EXPECT_EQ(list("?workflow_id=")["meta"]["total"], 1);  // organization-wide only
}

// A list may repeat a number and name numbers already listed: each (number, scope) stays one
// entry, the last row's reason wins, and the answer counts what was new (both backends: one
// statement per row on SQLite, one per chunk of rows on PostgreSQL).
TEST_F(Suppressions, AListWithRepeatsAndKnownNumbersKeepsEachNumberOnce) {
  auto wf = create_workflow();
  auto res = api().post(kPath, {{"phone_number", "+14155550100"}, {"reason", "first"}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string known = res.json()["id"];
  res = api().post(kPath, {{"entries",
                            {{{"phone_number", "+14155550100"}, {"reason", "again"}},
                             {{"phone_number", "+14155550101"}, {"reason", "a"}},
                             {{"phone_number", "(415) 555-0101"}, {"reason", "b"}},
                             {{"phone_number", "+14155550102"}},
                             {{"phone_number", "+14155550101"}, {"workflow_id", wf}}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const Json answer = res.json();
  EXPECT_EQ(answer["added"], 3);
  EXPECT_EQ(answer["updated"], 2);
  const Json& rows = answer["entries"];
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0]["id"], known);
  EXPECT_EQ(rows[1]["id"], rows[2]["id"]);
  EXPECT_NE(rows[4]["id"], rows[1]["id"]);
  EXPECT_EQ(rows[4]["workflow_id"], wf);
  EXPECT_EQ(api().get(std::string(kPath) + "/" + known).json()["reason"], "again");
  const Json repeated =
      api().get(std::string(kPath) + "/" + rows[1]["id"].get<std::string>()).json();
  EXPECT_EQ(repeated["reason"], "b");
  EXPECT_EQ(repeated["created_at"], rows[1]["created_at"]);
  EXPECT_EQ(list()["meta"]["total"], 4);
}

TEST_F(Suppressions, AFileAddsItsRowsAsUploadedEntries) {
  auto res = upload("dnc.csv",
                    "phone_number,reason,expires_at\n"
                    "+14155550100,asked,\n"
                    "4155550101,,2031-06-01T00:00:00Z\n");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["added"], 2);
  auto entries = list()["data"];
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& e : entries) EXPECT_EQ(e["source"], "upload");
  EXPECT_EQ(entries[1]["reason"], "asked");
  EXPECT_EQ(entries[0]["phone_number"], "+14155550101");
  EXPECT_EQ(entries[0]["expires_at"], "2031-06-01T00:00:00.000Z");

  res = upload("dnc.csv", "phone_number,expires_at\n+14155550102,\nbad,\n+14155550103,never\n");
  expect_error(res, 400);
  ASSERT_EQ(res.json()["errors"].size(), 2u) << res.body;
  EXPECT_EQ(res.json()["errors"][0]["row"], 3);  // spreadsheet rows: the header is row 1
  EXPECT_EQ(res.json()["errors"][1]["row"], 4);
  EXPECT_EQ(list()["meta"]["total"], 2);
}

TEST_F(Suppressions, EnrolmentSkipsListedNumbersAndSaysWhich) {
  auto wf = create_valid_workflow();
  auto other_wf = create_valid_workflow();
  ASSERT_EQ(api().post(kPath, {{"phone_number", "+14155550101"}}).status, 201);
  ASSERT_EQ(api().post(kPath, {{"phone_number", "+14155550103"}, {"workflow_id", other_wf}}).status,
            201);
  // An invalid row elsewhere refuses the request (all or nothing) ...
  auto res = api().post("/v1/workflows/" + wf + "/leads", {{"leads",
                                                            {{{"phone_number", "+14155550100"}},
                                                             {{"phone_number", "+14155550101"}},
                                                             {{"phone_number", "bad"}}}}});
  expect_error(res, 400);
  // ... a listed number does not: it is skipped and named.
  res = api().post("/v1/workflows/" + wf + "/leads", {{"leads",
                                                       {{{"phone_number", "+14155550100"}},
                                                        {{"phone_number", "+14155550101"}},
                                                        {{"phone_number", "+14155550102"}},
                                                        {{"phone_number", "+14155550103"}}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const Json body = res.json();
  EXPECT_EQ(body["leads_enrolled"], 3);  // +…103 is listed for the other workflow only
  EXPECT_EQ(body["suppressed"], 1);
  EXPECT_EQ(body["suppressed_rows"], Json::array({2}));
  ASSERT_EQ(body["skipped"].size(), 1u);
  EXPECT_EQ(body["skipped"][0]["row"], 2);
  EXPECT_TRUE(body["skipped"][0]["reason"].get<std::string>().starts_with("suppressed"))
      << body.dump();
  EXPECT_NE(body["message"].get<std::string>().find("1 on the do-not-call list"), std::string::npos)
      << body.dump();

  res = api().post("/v1/workflows/" + other_wf + "/leads", {{"phone_number", "+14155550103"}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["leads_enrolled"], 0);
  EXPECT_EQ(res.json()["suppressed"], 1);
}

}  // namespace
}  // namespace leadline::test
