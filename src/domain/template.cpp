#include "domain/template.h"

namespace leadline::domain {

std::string render_template(std::string_view text, const Json& variables) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    const size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    std::string_view name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.starts_with("lead.")) name.remove_prefix(5);
    auto it = variables.find(name);
    if (it != variables.end()) out += it->is_string() ? it->get<std::string>() : it->dump();
    pos = close + 2;
  }
  return out;
}

}  // namespace leadline::domain
