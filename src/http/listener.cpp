#include "http/listener.h"

#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

namespace leadline::http {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

void check(const boost::system::error_code& ec, const char* what, const tcp::endpoint& endpoint) {
  if (!ec) return;
  throw std::runtime_error(std::string("cannot ") + what + " " + endpoint.address().to_string() +
                           ":" + std::to_string(endpoint.port()) + ": " + ec.message());
}

}  // namespace

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint,
                   std::shared_ptr<ConnectionContext> context)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      backoff_(acceptor_.get_executor()),
      context_(std::move(context)) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  check(ec, "open", endpoint);
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  check(ec, "configure", endpoint);
  acceptor_.bind(endpoint, ec);
  check(ec, "bind", endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  check(ec, "listen on", endpoint);
  port_ = acceptor_.local_endpoint().port();
}

void Listener::run() { do_accept(); }

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_), boost::beast::bind_front_handler(
                                                     &Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;  // the acceptor was closed: stopping
  if (ec) {
    // Out of file descriptors and the like: the condition may pass, but accepting again at
    // once would fail at once, in a hot loop. Wait a little, and say so once per episode.
    if (!accept_failing_) spdlog::warn("accept failed: {} (retrying every 100 ms)", ec.message());
    accept_failing_ = true;
    backoff_.expires_after(std::chrono::milliseconds(100));
    backoff_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (wait_ec != net::error::operation_aborted) self->do_accept();
    });
    return;
  }
  if (accept_failing_) spdlog::info("accepting connections again");
  accept_failing_ = false;
  {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // small answers must not wait for Nagle
    std::make_shared<Connection>(std::move(socket), context_)->run();
  }
  do_accept();
}

}  // namespace leadline::http
