#include "domain/template.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

TEST(Template, PlainRenderingSubstitutesAsIs) {
  const Json vars = {{"name", "Priya"}, {"n", 3}};
  EXPECT_EQ(render_template("Hi {{name}} ({{ lead.n }}) {{missing}}!", vars), "Hi Priya (3) !");
}

TEST(Template, UrlValuesArePercentEncoded) {
  const Json vars = {{"id", "a/b?c=d#e"}, {"q", "x&admin=1 y"}, {"dots", ".."}, {"u", "ü"}};
  EXPECT_EQ(render_url_template("https://crm.example.com/leads/{{id}}?q={{q}}", vars),
            "https://crm.example.com/leads/a%2Fb%3Fc%3Dd%23e?q=x%26admin%3D1%20y");
  // A lone dot segment would climb the path on the server.
  EXPECT_EQ(render_url_template("https://h/a/{{dots}}/b", vars), "https://h/a/%2E%2E/b");
  EXPECT_EQ(render_url_template("https://h/{{u}}", vars), "https://h/%C3%BC");
  EXPECT_EQ(render_url_template("https://h/v-1.2_x~", vars), "https://h/v-1.2_x~");
  // A value cannot take the host over, even where a host placeholder is allowed.
  EXPECT_EQ(render_url_template("https://{{h}}/x", {{"h", "evil.com/@127.0.0.1:80"}}),
            "https://evil.com%2F%40127.0.0.1%3A80/x");
}

TEST(Template, HeaderValuesLoseControlCharacters) {
  const Json vars = {{"v", "a\r\nX-Injected: yes\x7f\t\x01"}};
  EXPECT_EQ(render_header_template("Bearer {{v}}", vars), "Bearer aX-Injected: yes");
}

TEST(Template, JsonValuesAreEscapedInsideStringsAndValuesOutside) {
  const Json vars = {{"name", "a\"b\\"}, {"n", 3}, {"obj", {{"k", "v"}}}, {"nl", "x\ny"}};
  const std::string out =
      render_json_template(R"({"name":"{{name}}","n":{{n}},"s":"n={{n}}","o":{{obj}},)"
                           R"("nl":"{{nl}}","m":{{missing}},"e":"\"{{name}}"})",
                           vars);
  const Json parsed = Json::parse(out);
  EXPECT_EQ(parsed["name"], "a\"b\\");
  EXPECT_EQ(parsed["n"], 3);
  EXPECT_EQ(parsed["s"], "n=3");
  EXPECT_EQ(parsed["o"], Json({{"k", "v"}}));
  EXPECT_EQ(parsed["nl"], "x\ny");
  EXPECT_TRUE(parsed["m"].is_null());
  EXPECT_EQ(parsed["e"], "\"a\"b\\");
  // The body of a node config is an object, rendered from its dump.
  const Json body = {{"name", "{{name}}"}};
  EXPECT_EQ(Json::parse(render_json_template(body.dump(), vars))["name"], "a\"b\\");
}

TEST(Template, FindsPlaceholdersThatWouldChooseTheHost) {
  EXPECT_FALSE(url_template_has_variable_host("https://crm.example.com/leads/{{id}}?q={{q}}"));
  EXPECT_FALSE(url_template_has_variable_host("http://127.0.0.1:8080?x={{x}}"));
  EXPECT_TRUE(url_template_has_variable_host("https://{{host}}/x"));
  EXPECT_TRUE(url_template_has_variable_host("https://api.{{domain}}/x"));
  EXPECT_TRUE(url_template_has_variable_host("https://example.com:{{port}}/x"));
  EXPECT_TRUE(url_template_has_variable_host("https://{{user}}@example.com/x"));
  EXPECT_TRUE(url_template_has_variable_host("{{base_url}}/x"));
  EXPECT_TRUE(url_template_has_variable_host("HTTP://{{h}}"));
  EXPECT_EQ(url_template_origin("https://h.example:81/a/{{ b }}?c"), "https://h.example:81");
  EXPECT_EQ(url_template_origin("http://h?x={{y}}"), "http://h");
}

}  // namespace
}  // namespace leadline::domain
