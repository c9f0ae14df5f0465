// One organization's slow HTTP targets cannot hold up another organization's requests.
#include <future>

#include "engine/engine_fixture.h"
#include "support/http_peer.h"

namespace leadline::test {
namespace {

using TenantFairness = EngineTest;

TEST_F(TenantFairness, SlowActionTargetsOfOneOrganizationDoNotDelayAnother) {
  HttpPeer slow{[](const PeerRequest&) {
    PeerReply reply;
    reply.delay = std::chrono::milliseconds(1500);
    return reply;
  }};
  HttpPeer fast;
  // Acme: eight leads whose WEBHOOK node waits on the slow target (as many as the runner has
  // threads).
  auto acme = create_workflow("Slow");
  create_edge(acme, create_node(acme, "WEBHOOK", {{"url", slow.url()}}),
              create_node(acme, "CONVERTED"), "success");
  activate(acme);
  for (int i = 0; i < 8; ++i) enroll(acme, Json::object(), "+1415555700" + std::to_string(i));
  // Beta: one lead with a fast target.
  HttpClient beta(port_, new_org_key("Beta"));
  auto wf = beta.post("/v1/workflows", {{"title", "Fast"}}).json().value("id", "");
  auto node = beta.post("/v1/workflows/" + wf + "/nodes",
                        {{"node_type", "WEBHOOK"}, {"config", {{"url", fast.url()}}}})
                  .json()
                  .value("id", "");
  auto done = beta.post("/v1/workflows/" + wf + "/nodes", {{"node_type", "CONVERTED"}})
                  .json()
                  .value("id", "");
  ASSERT_EQ(beta.post("/v1/workflows/" + wf + "/edges",
                      {{"from_node_id", node}, {"to_node_id", done}, {"label", "success"}})
                .status,
            201);
  ASSERT_EQ(beta.post("/v1/workflows/" + wf + "/leads", {{"phone_number", "+14155557100"}}).status,
            201);
  ASSERT_EQ(beta.post("/v1/workflows/" + wf + "/activate").status, 200);

  auto engine = std::async(std::launch::async, [&] { app_->engine().drain(); });
  // Beta's request goes out at once, not after Acme's slow ones.
  EXPECT_TRUE(fast.wait_for_requests(1, std::chrono::milliseconds(1000)));
  EXPECT_LT(slow.request_count(), 8u);  // Acme's share is capped while Beta is served
  engine.get();
  EXPECT_EQ(slow.request_count(), 8u);
}

}  // namespace
}  // namespace leadline::test
