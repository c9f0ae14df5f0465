// Bodies built to crash or stall a JSON parser are refused with a 400 that names the limit;
// the server stays up and nothing changes.
#include "api/api_fixture.h"

namespace leadline::test {
namespace {

using HostileJson = ApiTest;

TEST_F(HostileJson, DeeplyNestedBodyIsRefusedAndTheServerStaysUp) {
  // ~200,000 nested "[" (400 KB) ended the process with a stack overflow.
  const std::string body = R"({"title": "Deep", "settings": )" + std::string(200'000, '[') +
                           std::string(200'000, ']') + "}";
  auto res = api().request("POST", "/v1/workflows", body);
  expect_error(res, 400);
  EXPECT_NE(res.json().value("message", "").find("nests deeper than 64 levels"), std::string::npos)
      << res.body;

  auto wf = create_workflow();
  expect_error(api().request("PATCH", "/v1/workflows/" + wf,
                             R"({"settings": {"a": )" + std::string(100'000, '{')),
               400);
  auto list = api().get("/v1/workflows");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["meta"]["total"], 1);  // only the one created afterwards
  EXPECT_EQ(api().get("/v1/workflows/" + wf).json()["settings"].dump().find('['),
            std::string::npos);
}

TEST_F(HostileJson, ObjectsWithTooManyKeysAreRefused) {
  std::string settings = "{";
  for (int i = 0; i < 200'000; ++i) settings += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  settings += "}";
  auto res =
      api().request("POST", "/v1/workflows", R"({"title": "Wide", "settings": )" + settings + "}");
  expect_error(res, 400);
  EXPECT_NE(res.json().value("message", "").find("more than 1000 members"), std::string::npos)
      << res.body;
  EXPECT_EQ(api().get("/v1/workflows").json()["meta"]["total"], 0);
}

TEST_F(HostileJson, NodeConfigNumbersAreChecked) {
  auto wf = create_workflow();
  auto res = api().post("/v1/workflows/" + wf + "/nodes",
                        {{"node_type", "TIME"}, {"config", {{"delay_days", 1e300}}}});
  expect_error(res, 400);
  res =
      api().post("/v1/workflows/" + wf + "/nodes",
                 {{"node_type", "APPLICATION"},
                  {"config",
                   {{"provider_key", "http"},
                    {"action_key", "request"},
                    {"action_config", {{"url", "https://example.com/x"}, {"timeout_ms", "x"}}}}}});
  expect_error(res, 400);
  EXPECT_NE(res.body.find("timeout_ms"), std::string::npos) << res.body;
  EXPECT_EQ(api().get("/v1/workflows/" + wf + "/nodes").json()["data"].size(), 0u);
}

}  // namespace
}  // namespace leadline::test
