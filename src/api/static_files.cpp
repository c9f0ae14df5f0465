#include "api/static_files.h"

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

#include "http/errors.h"

namespace leadline::api {
namespace {
namespace fs = std::filesystem;
using http::Request;
using http::Response;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";

bool reserved(std::string_view path) {
  for (std::string_view prefix : {"/v1", "/healthz", "/metrics"})
    if (path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/')) return true;
  return false;
}

std::string_view content_type_of(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// True when child lies inside root (both canonical).
bool inside(const fs::path& root, const fs::path& child) {
  auto r = root.begin(), c = child.begin();
  for (; r != root.end(); ++r, ++c)
    if (c == child.end() || *r != *c) return false;
  return true;
}

Response file_response(const fs::path& file, std::string_view cache_control) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw http::not_found("Not found");
  std::ostringstream body;
  body << in.rdbuf();
  auto response = Response::text(200, std::move(body).str(), std::string(content_type_of(file)));
  response.headers.emplace_back("Cache-Control", std::string(cache_control));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

Response serve(const Request& request, const fs::path& root) {
  const std::string& path = request.path;
  if (reserved(path)) throw http::ApiError(404, Json("Cannot GET " + path));
  if (root.empty())
    throw http::not_found(
        "The dashboard is not built: run `npm ci && npm run build` in web/, or pass --web-dir");
  fs::path relative;
  std::string_view rest(path);
  bool last_has_dot = false;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty()) continue;
    if (segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos)
      throw http::not_found("Not found");
    relative /= std::string(segment);
    last_has_dot = segment.find('.') != std::string_view::npos;
  }
  if (!relative.empty()) {
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(root / relative, ec);
    if (!ec && inside(root, file) && fs::is_regular_file(file, ec)) {
      const bool hashed = relative.begin()->string() == "assets";
      return file_response(file, hashed ? kImmutable : kNoCache);
    }
    // A missing file (a stale hashed asset, a typo) is a 404; any other path is one of the
    // dashboard's own routes.
    if (last_has_dot) throw http::not_found("Not found");
  }
  return file_response(root / "index.html", kNoCache);
}
}  // namespace

void register_static_files(http::Router& router, fs::path web_dir) {
  std::error_code ec;
  fs::path root;
  if (!web_dir.empty() && fs::is_regular_file(web_dir / "index.html", ec))
    root = fs::canonical(web_dir, ec);
  if (ec) root.clear();
  router.set_fallback([root](const Request& request) { return serve(request, root); });
}

fs::path default_web_dir() {
  std::error_code ec;
  const fs::path here = fs::path("web") / "dist";
  if (fs::is_regular_file(here / "index.html", ec)) return here;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = exe.parent_path().parent_path() / "web" / "dist";
    if (fs::is_regular_file(beside / "index.html", ec)) return beside;
  }
  return {};
}

}  // namespace leadline::api
