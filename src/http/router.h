#pragma once
// Maps method + path pattern ("/v1/workflows/{id}") to a handler. A path that matches some
// pattern under another method answers 405; a path that matches none answers 404.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace leadline::http {

using Handler = std::function<Response(const Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  bool requires_auth = true;
  Handler handler;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler, bool requires_auth = true);

  struct Match {
    const Route* route = nullptr;      // null when nothing matched
    bool path_matched = false;         // true when the path matched under another method (405)
    std::vector<std::string> allowed;  // those other methods, for the 405's Allow header
    std::map<std::string, std::string> params;
  };
  // Literal segments win over "{param}" segments, so "/leads/variable-keys" beats
  // "/leads/{id}" regardless of registration order.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

  // Answers GET requests whose path matches no route under any method (the dashboard's
  // static files). Not a route: it needs no key and is not listed in routes().
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }
  const Handler& fallback() const { return fallback_; }

 private:
  // A pattern split once at add() so match() only compares segments.
  struct Segment {
    std::string text;  // literal text, or the parameter name when is_param
    bool is_param = false;
  };
  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> segments_;  // parallel to routes_
  Handler fallback_;                            // empty: unmatched paths answer 404
};

}  // namespace leadline::http
