#pragma once
// Accepts connections and starts a Connection, each on its own strand. Binding happens in
// the constructor so a taken port fails start() synchronously.
#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/connection.h"

namespace leadline::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Throws std::runtime_error when the endpoint cannot be bound.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           std::shared_ptr<ConnectionContext> context);
  void run();
  std::uint16_t port() const { return port_; }

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;  // between failed accepts
  bool accept_failing_ = false;
  std::shared_ptr<ConnectionContext> context_;
  std::uint16_t port_ = 0;
};

}  // namespace leadline::http
