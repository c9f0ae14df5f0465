#pragma once
// Versioned schema migrations, embedded from store/migrations/<backend>/NNNN_*.sql at build
// time. Each backend applies, in one transaction each, those newer than its stored version.
#include <string_view>
#include <vector>

namespace leadline::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgres_migrations();

}  // namespace leadline::store
