// The dashboard's static files: caching headers, the SPA fallback, and that neither the API
// nor anything outside the web directory can be reached through them.
#include <fstream>

#include "api/api_fixture.h"

namespace leadline::test {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class StaticFiles : public ApiTest {
 protected:
  app::AppOptions options() override {
    auto o = ApiTest::options();
    const auto dist = dir_.path() / "dist";
    write(dist / "index.html", "<!doctype html><title>Leadline</title>");
    write(dist / "assets" / "index-abc123.js", "console.log(1)");
    write(dir_.path() / "secret.txt", "outside the web dir");
    std::filesystem::create_symlink(dir_.path() / "secret.txt", dist / "leak.txt");
    o.web_dir = dist.string();
    return o;
  }
  HttpResult anonymous_get(const std::string& target) { return HttpClient(port_).get(target); }
};

TEST_F(StaticFiles, IndexIsNeverCachedAndHashedAssetsAreImmutable) {
  auto index = anonymous_get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>Leadline</title>");
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  auto js = anonymous_get("/assets/index-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
}

TEST_F(StaticFiles, DashboardRoutesFallBackToIndex) {
  for (const char* path : {"/workflows", "/workflows/wf_1/leads/wlead_2", "/calls/call_1/"}) {
    auto res = anonymous_get(path);
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_EQ(res.header("cache-control"), "no-cache") << path;
    EXPECT_EQ(res.body, "<!doctype html><title>Leadline</title>") << path;
  }
  expect_error(anonymous_get("/assets/index-gone.js"), 404);
}

TEST_F(StaticFiles, NeverShadowsTheApi) {
  expect_error(anonymous_get("/v1/no-such-thing"), 404);
  expect_error(anonymous_get("/v1"), 404);
  expect_error(anonymous_get("/v1/workflows"), 401);
  EXPECT_EQ(anonymous_get("/healthz").status, 200);
  EXPECT_EQ(api().get("/v1/workflows").status, 200);
  expect_error(HttpClient(port_).request("POST", "/workflows"), 404);
}

TEST_F(StaticFiles, NothingOutsideTheWebDirectory) {
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                           "/leak.txt", "/./index.html", "/assets%5c..%5c..%5csecret.txt"}) {
    auto res = anonymous_get(path);
    EXPECT_EQ(res.body.find("outside the web dir"), std::string::npos) << path;
    expect_error(res, 404);
  }
}

class UnbuiltDashboard : public ApiTest {
 protected:
  app::AppOptions options() override {
    auto o = ApiTest::options();
    o.web_dir = (dir_.path() / "missing").string();
    return o;
  }
};

TEST_F(UnbuiltDashboard, SaysHowToBuildIt) {
  auto res = HttpClient(port_).get("/");
  expect_error(res, 404);
  EXPECT_NE(res.body.find("npm run build"), std::string::npos) << res.body;
}

}  // namespace
}  // namespace leadline::test
