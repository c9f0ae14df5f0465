#include "http/server.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include "http/connection.h"
#include "http/listener.h"

namespace leadline::http {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

// Raises the soft descriptor limit to the hard one (as servers do) and answers how many
// connections fit, keeping a reserve for the database, outbound requests and files.
std::size_t connection_capacity() {
  constexpr rlim_t kReserve = 256;
  constexpr std::size_t kDefaultMax = 10'000;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024 - kReserve;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return kDefaultMax;
  if (limit.rlim_cur <= 2 * kReserve) return std::max<rlim_t>(16, limit.rlim_cur / 2);
  return std::min<std::size_t>(kDefaultMax, limit.rlim_cur - kReserve);
}

tcp::endpoint resolve(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (!ec) return {address, port};
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve listen host " + host + ": " + ec.message());
  return results.begin()->endpoint();
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Router router;
  Authenticator authenticate;

  std::mutex mutex;  // guards the state below against concurrent start()/stop()
  bool started = false;
  bool stopped = false;
  std::uint16_t port = 0;
  // Destruction order matters: the pool (whose queued tasks hold connections) and the
  // listener go before the io_context their sockets belong to.
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<net::thread_pool> workers;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> io_threads;
};

Server::Server(ServerOptions options, const Router& router, Authenticator authenticate)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->router = router;  // a copy: the server must not depend on the caller's lifetime
  impl_->authenticate = std::move(authenticate);
}

Server::~Server() { stop(); }

void Server::start() {
  std::lock_guard lock(impl_->mutex);
  Impl& s = *impl_;
  if (s.started) throw std::logic_error("Server::start called twice");
  const ServerOptions& o = s.options;
  const unsigned io_count = o.io_threads ? o.io_threads : cores();
  const unsigned worker_count = o.worker_threads ? o.worker_threads : 2 * cores();

  s.ioc = std::make_unique<net::io_context>(static_cast<int>(io_count));
  s.workers = std::make_unique<net::thread_pool>(worker_count);
  DispatcherOptions dispatch;
  dispatch.rate_per_second = o.rate_limit_per_second;
  dispatch.burst = o.rate_limit_burst;
  dispatch.failed_auth_burst = o.failed_auth_burst;
  dispatch.metrics = o.metrics;
  const std::size_t max_connections = o.max_connections ? o.max_connections : connection_capacity();
  auto context = std::make_shared<ConnectionContext>(
      Dispatcher(s.router, s.authenticate, dispatch), s.workers->get_executor(), o.body_limit,
      o.idle_timeout, o.body_timeout, o.handlers_on_io_threads, max_connections,
      o.max_connections_per_address);
  try {
    s.listener = std::make_shared<Listener>(*s.ioc, resolve(o.host, o.port), std::move(context));
  } catch (...) {
    s.workers->stop();
    s.workers->join();
    s.workers.reset();
    s.ioc.reset();
    throw;
  }
  s.port = s.listener->port();
  s.listener->run();
  s.started = true;
  s.io_threads.reserve(io_count);
  for (unsigned i = 0; i < io_count; ++i) {
    s.io_threads.emplace_back([ioc = s.ioc.get()] {
      // The listener's pending accept keeps run() from returning until stop().
      ioc->run();
    });
  }
  spdlog::info("listening on {}:{} ({} I/O threads, {} workers)", o.host, s.port, io_count,
               worker_count);
}

std::uint16_t Server::port() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->port;
}

void Server::stop() {
  std::lock_guard lock(impl_->mutex);
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.ioc->stop();
  for (auto& thread : s.io_threads) thread.join();
  s.io_threads.clear();
  // Handlers already running finish; their answers are posted to the stopped io_context
  // and dropped with it.
  s.workers->stop();
  s.workers->join();
  s.workers.reset();
  s.listener.reset();
  // Destroying the io_context destroys every pending handler, and with them the last
  // references to the connections, whose destructors close the sockets.
  s.ioc.reset();
}

}  // namespace leadline::http
