#include "store/sql/driver.h"

namespace leadline::store::sql {

void Connection::copy_in(std::string_view, std::string_view) {
  throw StoreError("COPY is PostgreSQL's; this database has none");
}

ConnectionPool::ConnectionPool(Connect connect, size_t size)
    : connect_(std::move(connect)), size_(size) {
  auto first = connect_();
  dialect_ = first->dialect();
  idle_.push_back(std::move(first));
  open_ = 1;
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (conn->healthy()) return Lease(*this, std::move(conn));
    --open_;  // dropped by the server (restart, idle timeout): replaced below
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, connect_());
  } catch (...) {
    std::lock_guard relock(mutex_);
    --open_;
    available_.notify_one();
    throw;
  }
}

void ConnectionPool::release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mutex_);
    if (conn->healthy()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
      conn.reset();
    }
  }
  available_.notify_one();
}

}  // namespace leadline::store::sql
