#include "http/router.h"

#include <gtest/gtest.h>

#include "http/url.h"

namespace leadline::http {
namespace {

Handler named(std::string name) {
  return [name](const Request&) { return Response::text(200, name, "text/plain"); };
}

std::string run(const Router::Match& match) {
  return match.route ? match.route->handler(Request{}).body : "";
}

TEST(Router, MatchesLiteralRoute) {
  Router router;
  router.add("GET", "/v1/workflows", named("list"));
  router.add("POST", "/v1/workflows", named("create"));
  EXPECT_EQ(run(router.match("GET", "/v1/workflows")), "list");
  EXPECT_EQ(run(router.match("POST", "/v1/workflows")), "create");
  EXPECT_EQ(run(router.match("GET", "/v1/workflows/")), "list");
}

TEST(Router, CapturesParameters) {
  Router router;
  router.add("GET", "/v1/workflows/{id}/nodes/{node_id}", named("node"));
  auto match = router.match("GET", "/v1/workflows/wf_1/nodes/node_2");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params,
            (std::map<std::string, std::string>{{"id", "wf_1"}, {"node_id", "node_2"}}));
}

TEST(Router, DecodesSegmentsSeparately) {
  Router router;
  router.add("GET", "/v1/things/{id}", named("thing"));
  auto match = router.match("GET", "/v1/things/a%2Fb%20c");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params.at("id"), "a/b c");
  EXPECT_EQ(router.match("GET", "/v1/things/%zz").route, nullptr);
}

TEST(Router, LiteralBeatsParameterInAnyOrder) {
  Router first_param;
  first_param.add("GET", "/leads/{id}", named("param"));
  first_param.add("GET", "/leads/variable-keys", named("literal"));
  EXPECT_EQ(run(first_param.match("GET", "/leads/variable-keys")), "literal");
  EXPECT_EQ(run(first_param.match("GET", "/leads/wlead_1")), "param");

  Router first_literal;
  first_literal.add("GET", "/leads/variable-keys", named("literal"));
  first_literal.add("GET", "/leads/{id}", named("param"));
  EXPECT_EQ(run(first_literal.match("GET", "/leads/variable-keys")), "literal");
}

TEST(Router, EarlierLiteralSegmentDecides) {
  Router router;
  router.add("GET", "/a/{x}/c", named("literal-at-0"));
  router.add("GET", "/{y}/b/c", named("literal-at-1"));
  EXPECT_EQ(run(router.match("GET", "/a/b/c")), "literal-at-0");
}

TEST(Router, OtherMethodGives405AndNothingGives404) {
  Router router;
  router.add("GET", "/v1/workflows/{id}", named("get"));
  auto wrong_method = router.match("DELETE", "/v1/workflows/wf_1");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_matched);
  auto unknown = router.match("GET", "/v1/nothing/here");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_FALSE(unknown.path_matched);
  EXPECT_EQ(router.match("GET", "/v1/workflows/").route, nullptr);  // empty id
}

TEST(Router, MethodMatchBeatsMoreSpecificOtherMethod) {
  Router router;
  router.add("GET", "/leads/variable-keys", named("literal"));
  router.add("DELETE", "/leads/{id}", named("delete"));
  EXPECT_EQ(run(router.match("DELETE", "/leads/variable-keys")), "delete");
}

TEST(Router, RootPath) {
  Router router;
  router.add("GET", "/", named("root"));
  EXPECT_EQ(run(router.match("GET", "/")), "root");
  EXPECT_EQ(router.match("GET", "").route, nullptr);
}

TEST(Url, PercentDecode) {
  EXPECT_EQ(percent_decode("a%20b+c"), "a b+c");
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("%E2%82%ac"), "\xE2\x82\xAC");
  EXPECT_EQ(percent_decode("%2"), std::nullopt);
  EXPECT_EQ(percent_decode("%g0"), std::nullopt);
}

TEST(Url, SplitsTargetAndParsesQuery) {
  auto target = split_target("/v1/leads?status=active&q=a+b%26c&flag&&page=2#frag");
  EXPECT_EQ(target.path, "/v1/leads");
  auto query = parse_query(target.query);
  ASSERT_TRUE(query);
  EXPECT_EQ(*query, (std::map<std::string, std::string>{
                        {"flag", ""}, {"page", "2"}, {"q", "a b&c"}, {"status", "active"}}));
  EXPECT_EQ(parse_query("a=%zz"), std::nullopt);
  std::string error;
  EXPECT_EQ(parse_query("a=%zz", &error), std::nullopt);
  EXPECT_EQ(error, "Query parameter a is badly percent-encoded");
  // Bytes that are not UTF-8 once decoded are refused, naming the parameter.
  EXPECT_EQ(parse_query("page=1&leadIds=%ff", &error), std::nullopt);
  EXPECT_EQ(error, "Query parameter leadIds is not valid UTF-8 once percent-decoded");
  EXPECT_EQ(parse_query("%c3%28=1", &error), std::nullopt);
  EXPECT_EQ(error, "A query parameter name is not valid UTF-8 once percent-decoded");
  EXPECT_EQ(parse_query("q=%E2%82%AC")->at("q"), "\xE2\x82\xAC");
  EXPECT_EQ(parse_query("q=a%00b", &error), std::nullopt);
  EXPECT_EQ(error, "Query parameter q holds a NUL character (%00)");
  EXPECT_EQ(split_target("/x").query, "");
}

}  // namespace
}  // namespace leadline::http
