#pragma once
// One accepted socket: read a request's head, admit or refuse it, read its body, hand it to
// the worker pool, write the answer back on the connection's strand, repeat while keep-alive
// holds. Owned by shared_ptr: the pending operation (a read, a write or a handler on the pool)
// keeps it alive.
#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "http/dispatcher.h"

namespace leadline::http {

// How many connections are open, in all and per client address; refuses the ones over the
// caps. Thread-safe.
class ConnectionCounter {
 public:
  ConnectionCounter(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}
  // Counts a new connection, or answers why it may not be served (and counts nothing).
  std::optional<std::string> open(const std::string& address);
  void close(const std::string& address);

 private:
  const std::size_t max_total_;
  const std::size_t max_per_address_;
  std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

// What every connection of one server shares. Outlives the connections through shared_ptr.
struct ConnectionContext {
  ConnectionContext(Dispatcher dispatcher, boost::asio::thread_pool::executor_type workers,
                    std::size_t body_limit, std::chrono::seconds idle_timeout,
                    std::chrono::seconds body_timeout, bool run_handlers_inline,
                    std::size_t max_connections, std::size_t max_connections_per_address)
      : dispatcher(std::move(dispatcher)),
        workers(std::move(workers)),
        body_limit(body_limit),
        idle_timeout(idle_timeout),
        body_timeout(body_timeout),
        run_handlers_inline(run_handlers_inline),
        counter(max_connections, max_connections_per_address) {}

  Dispatcher dispatcher;
  boost::asio::thread_pool::executor_type workers;
  std::size_t body_limit;
  std::chrono::seconds idle_timeout;  // for the next request's head to arrive whole
  std::chrono::seconds body_timeout;  // for a body to arrive whole once admitted
  bool run_handlers_inline;  // true: skip the pool hop (handlers must then be non-blocking)
  ConnectionCounter counter;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ConnectionContext> context);
  ~Connection();
  void run();

 private:
  void do_read();
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  // Answers read errors that deserve an answer; true when the connection is done reading.
  bool handle_read_error(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec, std::size_t bytes);
  void send(BeastResponse&& response);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  void drain();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<Admission> admission_;  // of the request being read
  BeastResponse response_;              // kept here: it must outlive the async write
  boost::beast::http::response<boost::beast::http::empty_body> continue_;  // "100 Continue"
  std::shared_ptr<ConnectionContext> context_;
  std::string client_address_;
  bool counted_ = false;  // counted by context_->counter
  std::size_t drained_ = 0;
  bool linger_ = false;  // close after reading what the client still sends (see do_close)
};

}  // namespace leadline::http
