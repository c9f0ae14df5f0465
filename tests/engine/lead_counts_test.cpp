// The graph's lead counts are kept by the writes (migration 0004), not counted from the leads at
// each request. These tests drive leads through every kind of write that moves them (enrolment,
// steps, calls, delays, stalls, graph edits, removal, pause, cancel, deletion) and compare, at
// each point, what /graph answers with a count over the leads table made by SQL from outside.
#include "engine/engine_fixture.h"
#include "store/sql/sql_store.h"

namespace leadline::test {
namespace {

class LeadCounts : public EngineTest {
 protected:
  // The graph's counts as the previous release computed them: a scan of the workflow's leads.
  Json scanned(const std::string& wf) {
    const std::string where = "FROM lead_rows WHERE workflow_id = '" + wf + "'";
    const std::string waits = "wait_kind IN ('delay', 'window', 'contact_cap') OR stalled = 1";
    const std::string blocked = "stalled = 0 AND wait_kind IN ('window', 'contact_cap')";
    Json lead_counts = Json::object();
    for (const auto& row :
         db_.rows("SELECT current_node_id, sum(CASE WHEN " + waits + " THEN 0 ELSE 1 END), " +
                  "sum(CASE WHEN " + waits + " THEN 1 ELSE 0 END), sum(stalled), sum(CASE WHEN " +
                  blocked + " THEN 1 ELSE 0 END) " + where +
                  " AND status = 'active' AND current_node_id IS NOT NULL GROUP BY 1"))
      lead_counts[row[0]] = {{"active", std::stoll(row[1])},
                             {"waiting", std::stoll(row[2])},
                             {"stalled", std::stoll(row[3])},
                             {"blocked", std::stoll(row[4])}};
    Json status_counts = Json::object();
    for (auto status :
         {"pending", "active", "completed", "dropped", "removed", "cancelled", "failed"})
      status_counts[status] = 0;
    for (const auto& row : db_.rows("SELECT status, count(*) " + where + " GROUP BY status"))
      status_counts[row[0]] = std::stoll(row[1]);
    auto count = [&](const std::string& condition) {
      return std::stoll(db_.rows("SELECT count(*) " + where + " AND " + condition)[0][0]);
    };
    const Json blocked_counts = {
        {"calling_window", count("status = 'active' AND stalled = 0 AND wait_kind = 'window'")},
        {"contact_cap", count("status = 'active' AND stalled = 0 AND wait_kind = 'contact_cap'")},
        {"suppressed",
         count("status = 'dropped' AND context LIKE '%\"drop_reason\":\"suppressed\"%'")},
        {"consent", count("status = 'dropped' AND context LIKE '%\"drop_reason\":\"consent\"%'")}};
    return {{"lead_counts", lead_counts},
            {"status_counts", status_counts},
            {"blocked_counts", blocked_counts}};
  }
  Json answered(const std::string& wf) {
    auto graph = api().get("/v1/workflows/" + wf + "/graph").json();
    return {{"lead_counts", graph["lead_counts"]},
            {"status_counts", graph["status_counts"]},
            {"blocked_counts", graph["blocked_counts"]}};
  }
  // Asserts /graph agrees with the scan, before and after the counts are folded.
  void expect_counts_right(const std::string& wf, const std::string& when) {
    const Json expected = scanned(wf);
    EXPECT_EQ(answered(wf), expected) << when;
    dynamic_cast<store::sql::SqlStore&>(app_->store()).fold_counts();
    EXPECT_EQ(answered(wf), expected) << when << ", folded";
  }
  std::int64_t count_rows(const std::string& wf) {
    return std::stoll(
        db_.rows("SELECT count(*) FROM lead_counts WHERE workflow_id = '" + wf + "'")[0][0]);
  }
};

TEST_F(LeadCounts, FollowEveryWriteThatMovesALead) {
  // call -(COMPLETED)-> wait two days -> second call -(COMPLETED)-> converted, else dropped;
  // the first call has no edge for BUSY, so those leads stall there.
  const auto wf = create_workflow();
  const auto call = create_node(wf, "VOICE_CALL", call_config());
  const auto wait = create_node(wf, "TIME", {{"delay_days", 2}});
  const auto again = create_node(wf, "VOICE_CALL", call_config());
  const auto won = create_node(wf, "CONVERTED");
  const auto lost = create_node(wf, "DROPPED");
  create_edge(wf, call, wait, "COMPLETED");
  create_edge(wf, call, lost, "NO_ANSWER");
  create_edge(wf, wait, again);
  create_edge(wf, again, won, "COMPLETED");
  create_edge(wf, again, lost);

  const char* outcomes[] = {"COMPLETED,COMPLETED", "COMPLETED,NO_ANSWER", "NO_ANSWER", "BUSY"};
  std::vector<std::string> ids;
  for (int i = 0; i < 24; ++i)
    ids.push_back(
        enroll(wf, {{"sim_outcomes", outcomes[i % 4]}}, "+1415555" + std::to_string(1000 + i)));
  expect_counts_right(wf, "enrolled, pending");
  activate(wf);
  settle();
  expect_counts_right(wf, "in the first call");
  advance(seconds(31));
  expect_counts_right(wf, "asleep, dropped or stalled");
  ASSERT_GT(answered(wf)["lead_counts"][call]["stalled"].get<int>(), 0);

  ASSERT_EQ(api().del("/v1/workflows/" + wf + "/leads/" + ids[0]).status, 200);  // asleep
  ASSERT_EQ(api().del("/v1/workflows/" + wf + "/leads/" + ids[3]).status, 200);  // stalled
  expect_counts_right(wf, "two removed");

  create_edge(wf, call, lost);  // frees the stalled leads
  settle();
  expect_counts_right(wf, "stalled leads moved on after an edit");

  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/pause").status, 200);
  advance(days(3));
  expect_counts_right(wf, "paused past the delay");
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/resume").status, 200);
  settle();
  expect_counts_right(wf, "resumed, in the second call");
  advance(seconds(31));
  expect_counts_right(wf, "finished");

  // Leads enrolled late are cancelled with the workflow.
  for (int i = 0; i < 6; ++i)
    enroll(wf, {{"sim_outcomes", "COMPLETED"}}, "+1415556" + std::to_string(1000 + i));
  settle();
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/cancel").status, 200);
  settle();
  advance(seconds(31));
  expect_counts_right(wf, "cancelled");
  EXPECT_GT(answered(wf)["status_counts"]["cancelled"].get<int>(), 0);

  ASSERT_GT(count_rows(wf), 0);
  ASSERT_EQ(api().del("/v1/workflows/" + wf).status, 200);
  EXPECT_EQ(count_rows(wf), 0);  // the counts went with the workflow
}

TEST_F(LeadCounts, TellApartTheLeadsComplianceRulesHoldOrDrop) {
  auto patch = [&](const std::string& path, const Json& settings) {
    auto res = api().patch(path, {{"settings", settings}});
    ASSERT_EQ(res.status, 200) << res.body;
  };
  patch("/v1/organization", {{"contact_caps", Json::array({{{"calls", 1}, {"hours", 24}}})}});
  // A call in another workflow fills the cap of +14155553000.
  const auto elsewhere = create_valid_workflow();
  enroll(elsewhere, {{"sim_outcomes", "COMPLETED"}}, "+14155553000");
  activate(elsewhere);
  settle();

  const auto wf = create_valid_workflow();      // held by the cap, listed, and one called
  const auto night = create_valid_workflow();   // its window is closed now (13:26 there)
  const auto strict = create_valid_workflow();  // consent is required after enrolment
  patch("/v1/workflows/" + wf, {{"calling_window", nullptr}});
  patch("/v1/workflows/" + night, {{"calling_window", {{"start", "06:00"}, {"end", "07:00"}}}});
  for (const auto& [flow, phone] :
       std::vector<std::pair<std::string, std::string>>{{wf, "+14155553000"},
                                                        {wf, "+14155553001"},
                                                        {wf, "+14155553002"},
                                                        {night, "+14155553003"},
                                                        {strict, "+14155553004"}})
    enroll(flow, {{"sim_outcomes", "COMPLETED"}}, phone);
  ASSERT_EQ(api().post("/v1/suppressions", {{"phone_number", "+14155553001"}}).status, 201);
  patch("/v1/workflows/" + strict, {{"calling_window", nullptr}, {"require_consent", "express"}});
  for (const auto& flow : {wf, night, strict}) activate(flow);
  settle();
  for (const auto& flow : {wf, night, strict}) expect_counts_right(flow, "blocked");
  const Json expected = {
      {"calling_window", 0}, {"contact_cap", 1}, {"suppressed", 1}, {"consent", 0}};
  EXPECT_EQ(answered(wf)["blocked_counts"], expected);
  EXPECT_EQ(answered(night)["blocked_counts"]["calling_window"], 1);
  EXPECT_EQ(answered(strict)["blocked_counts"]["consent"], 1);
  const Json counts = answered(wf)["lead_counts"];
  ASSERT_EQ(counts.size(), 1u) << counts.dump();  // the call node: one called, one held
  EXPECT_EQ(counts.begin().value()["blocked"], 1);

  advance(hours(24));  // the cap lifts: the held lead is called
  settle();
  advance(seconds(31));
  for (const auto& flow : {wf, night, strict}) expect_counts_right(flow, "a day later");
  EXPECT_EQ(answered(wf)["blocked_counts"]["contact_cap"], 0);
}

TEST_F(LeadCounts, FoldingLeavesOneRowPerKey) {
  const auto wf = create_valid_workflow();
  for (int i = 0; i < 5; ++i)
    enroll(wf, {{"sim_outcomes", "COMPLETED"}}, "+1415555" + std::to_string(2000 + i));
  activate(wf);
  settle();
  advance(seconds(31));
  dynamic_cast<store::sql::SqlStore&>(app_->store()).fold_counts();
  // pending -> active at the call -> completed at the converted node: after the fold (or at
  // once, on SQLite) one row per key, the emptied ones gone on PostgreSQL.
  const auto rows =
      db_.rows("SELECT status, node_id, class, n FROM lead_counts WHERE workflow_id = '" + wf +
               "' AND n <> 0");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "completed");
  EXPECT_EQ(rows[0][3], "5");
  if (db_.postgres()) {
    EXPECT_EQ(count_rows(wf), 1);
  }
}

}  // namespace
}  // namespace leadline::test
