#pragma once
// Writing a batch of results (call dispatches, webhook deliveries) so that one result the
// database refuses cannot hold back the others, or itself, for ever. The batch is written in
// one go; when that fails, each result alone (twice); a result still refused is written in its
// fallback form (a minimal record that ends the retrying). When the fallback is refused too,
// the database itself is failing: nothing more is tried, and the caller's leases bring the
// work back later.
#include <spdlog/spdlog.h>

#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::engine {

// `write(items)` writes a vector of results; `fallback(item, error)` answers the storable
// form of an item the database refused. Answers false when nothing at all was written.
template <typename Item, typename Write, typename Fallback>
bool write_isolating(const std::vector<Item>& items, Write&& write, Fallback&& fallback,
                     std::string_view what) {
  auto try_write = [&](const std::vector<Item>& some, std::string* error) {
    try {
      write(some);
      return true;
    } catch (const std::exception& e) {
      if (error) *error = e.what();
      return false;
    }
  };
  std::string error;
  if (try_write(items, &error)) return true;
  spdlog::error("could not record {} {} together ({}); trying one by one", items.size(), what,
                error);
  bool any = false;
  for (const auto& item : items) {
    const std::vector<Item> one{item};
    if (try_write(one, &error) || try_write(one, &error)) {
      any = true;
      continue;
    }
    if (try_write({fallback(item, error)}, nullptr)) {
      spdlog::error("one of the {} was refused ({}); recorded its fallback instead", what, error);
      any = true;
    }
  }
  return any;
}

}  // namespace leadline::engine
