#include "store/postgres/postgres_driver.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_driver.h"
#include "store/store.h"

namespace leadline::store {

std::unique_ptr<Store> open_store(const StoreOptions& options) {
  const std::string_view url = options.url;
  if (url.starts_with("sqlite:")) {
    std::string path(url.substr(7));
    if (path.starts_with("//")) path = path.substr(2);  // also accept sqlite://PATH
    if (path.empty()) throw StoreError("sqlite: URL needs a file path, e.g. sqlite:leadline.db");
    if (options.sqlite_cache_bytes) sqlite::set_page_cache_budget(*options.sqlite_cache_bytes);
    auto checkpointer =
        std::make_shared<sqlite::Checkpointer>(path, sqlite::Checkpointer::Limits{});
    return std::make_unique<sql::SqlStore>(
        [path, checkpointer] { return std::make_unique<sqlite::Connection>(path, checkpointer); },
        [path] { sqlite::check_readable(path); });
  }
  if (options.postgres()) {
    std::string server = options.url;
    return std::make_unique<sql::SqlStore>(
        [server] { return std::make_unique<postgres::Connection>(server); });
  }
  throw StoreError("unsupported database URL '" + options.url +
                   "': supported schemes are sqlite:PATH and postgresql://USER:PASS@HOST:PORT/DB");
}

}  // namespace leadline::store
