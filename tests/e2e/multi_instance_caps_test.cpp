// Contact caps across processes (compliance issue): three `leadline serve` processes on one
// PostgreSQL database, each with two engine threads, an organization cap of one call per number per
// day, and the same 150 numbers enrolled in 12 workflows activated at once, so batches of different
// processes hold leads of the same numbers at the same time. Each number must be called exactly
// once; every other lead waits for the cap (waiting_for "contact_cap"), whichever process stepped
// it.
#include <gtest/gtest.h>

#include <thread>

#include "e2e/e2e_helpers.h"
#include "support/http_client.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace leadline::test {
namespace {

TEST(MultiInstanceCaps, ThreeProcessesCallEachCappedNumberOnce) {
  TempDir dir;
  TestDatabase db(dir.path());
  if (!db.postgres()) GTEST_SKIP() << kSeveralProcessesNeedPostgres;
  const std::string key = create_key(db.url());
  ASSERT_NE(key.find(':'), std::string::npos) << key;
  // Two engine threads in each process: six claimers in all.
  const std::vector<std::string> flags = {"--database",   db.url(), "--sim-call-seconds", "1",
                                          "--rate-limit", "0",      "--engine-threads",   "2"};
  constexpr int kWorkflows = 12, kNumbers = 150;

  Fleet fleet(dir.path(), flags, key);
  HttpClient& api = *fleet.apis[0];
  ASSERT_EQ(
      api.patch("/v1/organization",
                {{"settings", {{"contact_caps", Json::array({{{"calls", 1}, {"hours", 24}}})}}}})
          .status,
      200);
  Json leads = Json::array();
  for (int n = 0; n < kNumbers; ++n)
    leads.push_back({{"phone_number", "+1212555" + std::to_string(1000 + n)},
                     {"dynamic_variables", {{"sim_outcomes", "COMPLETED"}}}});
  std::vector<std::string> workflows;
  for (int w = 0; w < kWorkflows; ++w)
    workflows.push_back(one_call_workflow(api, "Capped " + std::to_string(w), leads));
  // Activated at once through all three processes, so their batches overlap.
  fleet.activate_across(workflows);

  // Settled: every number's one call done, every other lead held by the cap.
  auto settled = [&] {
    int completed = 0, held = 0;
    for (const auto& wf : workflows) {
      const Json graph = api.get("/v1/workflows/" + wf + "/graph").json();
      completed += graph["status_counts"].value("completed", 0);
      held += graph["blocked_counts"].value("contact_cap", 0);
    }
    return std::make_pair(completed, held);
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::pair<int, int> state;
  while (std::chrono::steady_clock::now() < deadline &&
         (state = settled()).first + state.second < kWorkflows * kNumbers)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(state.first, kNumbers) << "one lead per number called";
  EXPECT_EQ(state.second, kWorkflows * kNumbers - kNumbers) << "the others held by the cap";

  EXPECT_EQ(query(db.url(),
                  "SELECT to_phone_number FROM calls GROUP BY to_phone_number "
                  "HAVING count(*) > 1 LIMIT 5"),
            std::vector<std::string>{})
      << "a capped number was called twice";
  EXPECT_EQ(query(db.url(), "SELECT count(DISTINCT to_phone_number) FROM calls"),
            std::vector<std::string>{std::to_string(kNumbers)});
}

}  // namespace
}  // namespace leadline::test
