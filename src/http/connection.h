#pragma once
// One accepted socket: read a request, hand it to the worker pool, write the answer back on
// the connection's strand, repeat while keep-alive holds. Owned by shared_ptr: the pending
// operation (a read, a write or a handler on the pool) keeps it alive.
#include <array>
#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "http/dispatcher.h"

namespace leadline::http {

// What every connection of one server shares. Outlives the connections through shared_ptr.
struct ConnectionContext {
  Dispatcher dispatcher;
  boost::asio::thread_pool::executor_type workers;
  std::size_t body_limit;
  std::chrono::seconds idle_timeout;
  bool run_handlers_inline;  // true: skip the pool hop (handlers must then be non-blocking)
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ConnectionContext> context);
  void run();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void send(BeastResponse&& response);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  void drain();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  BeastResponse response_;  // kept here: it must outlive the async write
  std::shared_ptr<ConnectionContext> context_;
  std::size_t drained_ = 0;
  bool linger_ = false;  // close after reading what the client still sends (see do_close)
};

}  // namespace leadline::http
