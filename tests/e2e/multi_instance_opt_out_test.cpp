// An opt-out across processes (compliance issue, deliverable 2): three `leadline serve`
// processes on one PostgreSQL database, the same 100 numbers enrolled in six workflows. The
// first workflow calls at once and every callee asks not to be called again; the other five
// call only after a delay of two to six minutes, by which time the opt-outs are recorded.
// Whichever process recorded a number's opt-out and whichever steps its other leads, no
// further call reaches the number: each of those leads ends dropped as suppressed, with no
// call placed.
#include <gtest/gtest.h>

#include "e2e/e2e_helpers.h"
#include "support/http_client.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace leadline::test {
namespace {

TEST(MultiInstanceOptOut, AnOptOutRecordedByOneProcessStopsTheNumberInEveryProcess) {
  TempDir dir;
  TestDatabase db(dir.path());
  if (!db.postgres()) GTEST_SKIP() << kSeveralProcessesNeedPostgres;
  const std::string key = create_key(db.url());
  ASSERT_NE(key.find(':'), std::string::npos) << key;
  // 30x: a minute of delay is two seconds. Each process's clock starts with the process, so
  // they differ by a few seconds of simulated time, far less than the delays.
  const std::vector<std::string> flags = {"--database",         db.url(), "--time-scale", "30",
                                          "--sim-call-seconds", "30",     "--rate-limit", "0"};
  constexpr int kWorkflows = 6, kNumbers = 100;

  Fleet fleet(dir.path(), flags, key);
  HttpClient& api = *fleet.apis[0];
  Json leads = Json::array();
  for (int n = 0; n < kNumbers; ++n)
    leads.push_back(
        {{"phone_number", "+1212555" + std::to_string(1000 + n)},
         {"dynamic_variables", {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "opt_out=yes"}}}});
  std::vector<std::string> workflows;
  for (int w = 0; w < kWorkflows; ++w)
    workflows.push_back(
        one_call_workflow(api, "Opt-out " + std::to_string(w), leads, w == 0 ? 0 : w + 1));
  fleet.activate_across(workflows);

  auto ended = [&] {
    int total = 0;
    for (const auto& wf : workflows) {
      const Json counts = api.get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
      total += counts.value("completed", 0) + counts.value("dropped", 0);
    }
    return total;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < deadline && ended() < kWorkflows * kNumbers)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(ended(), kWorkflows * kNumbers);

  // The first workflow's calls happened and recorded one opt-out per number...
  const Json first = api.get("/v1/workflows/" + workflows[0] + "/graph").json();
  EXPECT_EQ(first["status_counts"].value("completed", 0), kNumbers) << first.dump();
  EXPECT_EQ(query(db.url(),
                  "SELECT count(DISTINCT phone_number) FROM suppressions "
                  "WHERE source = 'opt_out' AND workflow_id = ''"),
            std::vector<std::string>{std::to_string(kNumbers)});
  // ...and no lead of any other workflow called: each ended dropped as suppressed.
  for (int w = 1; w < kWorkflows; ++w) {
    const Json graph = api.get("/v1/workflows/" + workflows[w] + "/graph").json();
    EXPECT_EQ(graph["status_counts"].value("dropped", 0), kNumbers) << graph.dump();
    EXPECT_EQ(graph["blocked_counts"].value("suppressed", 0), kNumbers) << graph.dump();
  }
  EXPECT_EQ(
      query(db.url(), "SELECT count(*) FROM calls WHERE workflow_id <> '" + workflows[0] + "'"),
      std::vector<std::string>{"0"})
      << "a call reached a number after it opted out";
  // Every call of the number came before its opt-out was recorded.
  EXPECT_EQ(query(db.url(),
                  "SELECT count(*) FROM calls c JOIN suppressions s "
                  "ON s.phone_number = c.to_phone_number WHERE c.created_at > s.created_at"),
            std::vector<std::string>{"0"});
}

}  // namespace
}  // namespace leadline::test
