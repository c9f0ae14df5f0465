#include "http/router.h"

#include <algorithm>
#include <stdexcept>

#include "http/url.h"

namespace leadline::http {
namespace {

// Splits "/a/b" into {"a", "b"}. One trailing slash is ignored, as Express does by default,
// so "/v1/workflows/" routes like "/v1/workflows".
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  out.reserve(8);
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, bool requires_auth) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  std::vector<Segment> segments;
  for (std::string_view part : split_path(pattern)) {
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}')
      segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
    else
      segments.push_back({std::string(part), false});
  }
  routes_.push_back({std::move(method), std::move(pattern), requires_auth, std::move(handler)});
  segments_.push_back(std::move(segments));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  if (path.empty() || path.front() != '/') return result;
  // Decode each raw segment on its own so an encoded "/" (%2F) stays inside its segment.
  std::vector<std::string> decoded;
  for (std::string_view raw : split_path(path)) {
    auto segment = percent_decode(raw);
    if (!segment) return result;  // undecodable paths match nothing
    decoded.push_back(std::move(*segment));
  }

  const std::vector<Segment>* best = nullptr;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const auto& segments = segments_[r];
    if (segments.size() != decoded.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < segments.size() && fits; ++i)
      fits = segments[i].is_param ? !decoded[i].empty() : segments[i].text == decoded[i];
    if (!fits) continue;
    if (routes_[r].method != method) {
      result.path_matched = true;
      if (std::find(result.allowed.begin(), result.allowed.end(), routes_[r].method) ==
          result.allowed.end())
        result.allowed.push_back(routes_[r].method);
      continue;
    }
    // At the first position where the two differ in kind, the literal segment wins; on a
    // full tie the earlier registration stays.
    bool better = best == nullptr;
    for (std::size_t i = 0; i < segments.size() && !better; ++i) {
      if (segments[i].is_param == (*best)[i].is_param) continue;
      if (!segments[i].is_param) better = true;
      break;
    }
    if (better) {
      best = &segments;
      result.route = &routes_[r];
    }
  }
  if (result.route == nullptr) return result;
  result.path_matched = false;
  for (std::size_t i = 0; i < best->size(); ++i)
    if ((*best)[i].is_param) result.params.emplace((*best)[i].text, std::move(decoded[i]));
  return result;
}

}  // namespace leadline::http
