#include "http/connection.h"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace leadline::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// After an error answer we read (and drop) what the client is still sending for a while
// before closing: closing a socket with unread input makes the kernel send RST, which can
// destroy our answer before the client reads it.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 16u << 20;

bool is_http_parse_error(const beast::error_code& ec) {
  return &ec.category() == &bhttp::make_error_code(bhttp::error::bad_target).category();
}

}  // namespace

Connection::Connection(net::ip::tcp::socket&& socket, std::shared_ptr<ConnectionContext> context)
    : stream_(std::move(socket)), context_(std::move(context)) {}

void Connection::run() {
  // The socket's executor is this connection's strand: start there.
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&Connection::do_read, shared_from_this()));
}

void Connection::do_read() {
  parser_.emplace();  // a fresh parser per request: body limits apply per message
  parser_->body_limit(context_->body_limit);
  stream_.expires_after(context_->idle_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&Connection::on_read, shared_from_this()));
}

void Connection::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec == bhttp::error::end_of_stream) return do_close();
  if (ec == bhttp::error::body_limit) {
    linger_ = true;
    return send(Dispatcher::error_response(413, "Request body is too large", 11));
  }
  if (ec == bhttp::error::header_limit) {
    linger_ = true;
    return send(Dispatcher::error_response(400, "Request headers are too large", 11));
  }
  if (ec && is_http_parse_error(ec) && ec != bhttp::error::partial_message) {
    linger_ = true;
    return send(Dispatcher::error_response(400, "Malformed HTTP request", 11));
  }
  if (ec) {
    // Timeouts, resets, a client gone mid-message: nobody to answer. Dropping the last
    // reference closes the socket.
    if (ec != beast::error::timeout && ec != net::error::operation_aborted)
      spdlog::debug("connection read failed: {}", ec.message());
    return;
  }

  if (context_->run_handlers_inline) {
    BeastRequest request = parser_->release();
    return send(context_->dispatcher.handle(request));
  }
  // Handlers may block on the store, so they run on the pool; the answer comes back to this
  // connection's strand, where all socket work happens.
  net::post(context_->workers, [self = shared_from_this(), request = parser_->release()]() mutable {
    BeastResponse response = self->context_->dispatcher.handle(request);
    auto executor = self->stream_.get_executor();
    net::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
      self->send(std::move(response));
    });
  });
}

void Connection::send(BeastResponse&& response) {
  response_ = std::move(response);
  const bool close = response_.need_eof();
  stream_.expires_after(context_->idle_timeout);
  bhttp::async_write(stream_, response_,
                     beast::bind_front_handler(&Connection::on_write, shared_from_this(), close));
}

void Connection::on_write(bool close, beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    spdlog::debug("connection write failed: {}", ec.message());
    return;
  }
  if (close) return do_close();
  response_ = {};  // free the body now rather than at the next write
  do_read();
}

void Connection::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (linger_ && !ec) drain();
}

void Connection::drain() {
  if (drained_ == 0) stream_.expires_after(kLingerTime);
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(64 * 1024),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->drained_ += bytes;
                            if (!ec && self->drained_ < kLingerBytes) self->drain();
                          });
}

}  // namespace leadline::http
