#pragma once
// The HTTP/1.1 server on Boost.Beast: keep-alive, TCP_NODELAY, a body limit, per-key rate
// limits, authentication, and the error shape for every failure. Handlers run on a worker
// pool (they may block on the store); sockets live on I/O threads. Thread-safe to stop().
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/router.h"

namespace leadline::http {

class RequestMetrics;

// Who a valid key belongs to.
struct Principal {
  std::string key_id;
  std::string org_id;
};

// Checks the credential after "Bearer " ("key_id:secret"); nullopt when missing or invalid.
// With `may_look_up` false only credentials it has seen valid before may pass: what a client
// address that keeps failing may still use, without new guesses reaching the key store.
using Authenticator =
    std::function<std::optional<Principal>(std::string_view credential, bool may_look_up)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;           // 0 picks a free port; read it back with port()
  unsigned io_threads = 0;             // 0 = one per core
  unsigned worker_threads = 0;         // handler pool; 0 = 2 per core
  std::size_t body_limit = 64u << 20;  // bytes; larger bodies answer 413
  // Per organization on routes that need a key, per client address on the others; 0 turns
  // rate limiting off.
  double rate_limit_per_second = 1000;
  double rate_limit_burst = 2000;  // bucket size
  // Failed authentications per client address: a burst, then one per second.
  double failed_auth_burst = 30;
  // Open connections: in all (0 = as many as the descriptor limit allows, less a reserve for
  // the database and outbound requests) and per client address.
  std::size_t max_connections = 0;
  std::size_t max_connections_per_address = 512;
  std::chrono::seconds idle_timeout{60};   // for a request's head (and between requests)
  std::chrono::seconds body_timeout{120};  // for a body, once its head was admitted
  // Run handlers on the I/O threads instead of the pool: saves two thread hops per request,
  // but a blocking handler then stalls every connection of that thread. Benchmarks only.
  bool handlers_on_io_threads = false;
  // Counts requests by route (built from the router handed to the Server); null: not counted.
  std::shared_ptr<RequestMetrics> metrics = nullptr;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, Authenticator authenticate);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting on background threads; throws std::runtime_error when the
  // address cannot be bound.
  void start();
  // The bound port (after start()).
  std::uint16_t port() const;
  // Stops accepting, closes connections, joins threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadline::http
