// The mission's three example workflows (the ones `leadline demo` runs) end to end on a
// manual clock: every lead ends where its simulated outcomes say, with exactly those calls.
#include "app/demo.h"
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

using DemoWorkflows = EngineTest;

// (final status, calls placed) per lead profile, in create_demo_workflows' profile order.
using Expectation = std::vector<std::pair<std::string, int>>;

void run_to_the_end(util::ManualClock& clock, app::Application& app) {
  app.engine().drain();
  for (int i = 0; i < 24 * 8; ++i) {  // eight simulated days, an hour at a time
    clock.advance(std::chrono::minutes(60));
    app.engine().drain();
  }
}

TEST_F(DemoWorkflows, EveryLeadEndsWhereItsOutcomesLead) {
  const auto now = clock_->now();
  auto owner = app_->store().ensure_organization("Acme", now);
  auto workflows = app::create_demo_workflows(app_->store(), owner.id, 10, now);
  ASSERT_EQ(workflows.size(), 3u);
  run_to_the_end(*clock_, *app_);

  const std::vector<Expectation> expected = {
      // nurture: COMPLETED | NO_ANSWER,COMPLETED | BUSY,VOICEMAIL,COMPLETED | NO_ANSWER | FAILED
      {{"completed", 1}, {"completed", 2}, {"completed", 3}, {"dropped", 3}, {"dropped", 1}},
      // two tries then another script
      {{"completed", 1}, {"completed", 2}, {"completed", 3}, {"dropped", 3}},
      // booking: interested | not interested | interested but booking unanswered | no contact
      {{"completed", 2}, {"dropped", 1}, {"dropped", 2}, {"dropped", 1}},
  };
  for (size_t w = 0; w < workflows.size(); ++w) {
    store::LeadQuery query;
    query.page.limit = 100;
    auto leads = app_->store().list_leads(workflows[w].id, query).items;
    ASSERT_EQ(leads.size(), 10u);
    for (const auto& lead : leads) {
      const int profile = std::stoi(lead.variables["name"].get<std::string>().substr(10)) - 1;
      const auto& [status, calls] = expected[w][profile % expected[w].size()];
      EXPECT_EQ(to_string(lead.status), status) << workflows[w].title << " lead " << profile;
      store::CallQuery calls_query;
      calls_query.lead_id = lead.id;
      calls_query.page.limit = 100;
      EXPECT_EQ(app_->store().list_calls(owner.id, calls_query).total, calls)
          << workflows[w].title << " lead " << profile;
    }
    auto table = app::funnel_table(app_->store(), workflows[w]);
    EXPECT_NE(table.find("reached"), std::string::npos);
  }
}

}  // namespace
}  // namespace leadline::test
