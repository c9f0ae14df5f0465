#include "http/connection.h"
#include "util/text.h"

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

std::optional<std::string> ConnectionCounter::open(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (max_total_ > 0 && total_ >= max_total_)
    return "Too many open connections (at most " + std::to_string(max_total_) + ")";
  auto& mine = per_address_[address];
  if (max_per_address_ > 0 && mine >= max_per_address_) {
    return "Too many open connections from this address (at most " +
           std::to_string(max_per_address_) + ")";
  }
  ++mine;
  ++total_;
  return std::nullopt;
}

void ConnectionCounter::close(const std::string& address) {
  std::lock_guard lock(mutex_);
  --total_;
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

Connection::Connection(net::ip::tcp::socket&& socket, std::shared_ptr<ConnectionContext> context)
    : stream_(std::move(socket)), context_(std::move(context)) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  client_address_ = ec ? std::string("unknown") : peer.address().to_string();
}

Connection::~Connection() {
  if (counted_) context_->counter.close(client_address_);
}

void Connection::run() {
  // The socket's executor is this connection's strand: start there.
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    auto refused = self->context_->counter.open(self->client_address_);
    if (refused) {
      self->linger_ = true;
      self->context_->dispatcher.count_rejection(RequestMetrics::Rejection::kTooManyConnections);
      return self->send(Dispatcher::error_response(503, *refused, 11));
    }
    self->counted_ = true;
    self->do_read();
  });
}

void Connection::do_read() {
  parser_.emplace();  // a fresh parser per request: body limits apply per message
  parser_->body_limit(context_->body_limit);
  admission_.reset();
  // The whole head must arrive within the timeout (not each byte): a client trickling
  // headers cannot hold a connection open for ever.
  stream_.expires_after(context_->idle_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Connection::on_header, shared_from_this()));
}

bool Connection::handle_read_error(beast::error_code ec) {
  if (!ec) return false;
  if (ec == bhttp::error::end_of_stream) {
    do_close();
  } else if (ec == bhttp::error::body_limit) {
    linger_ = true;
    context_->dispatcher.count_rejection(RequestMetrics::Rejection::kBodyTooLarge);
    send(Dispatcher::error_response(413, "Request body is too large", 11));
  } else if (ec == bhttp::error::header_limit) {
    linger_ = true;
    context_->dispatcher.count_rejection(RequestMetrics::Rejection::kHeadersTooLarge);
    send(Dispatcher::error_response(400, "Request headers are too large", 11));
  } else if (is_http_parse_error(ec) && ec != bhttp::error::partial_message) {
    linger_ = true;
    context_->dispatcher.count_rejection(RequestMetrics::Rejection::kMalformed);
    send(Dispatcher::error_response(400, "Malformed HTTP request", 11));
  } else if (ec != beast::error::timeout && ec != net::error::operation_aborted) {
    // Resets, a client gone mid-message: nobody to answer. Dropping the last reference
    // closes the socket.
    spdlog::debug("connection read failed: {}", ec.message());
  }
  return true;
}

void Connection::on_header(beast::error_code ec, std::size_t /*bytes*/) {
  if (handle_read_error(ec)) return;
  // Routing and the key check are cheap (the key cache answers almost always), so they run
  // here: a refused request costs no body read and no trip to the pool.
  admission_.emplace(context_->dispatcher.admit(parser_->get(), client_address_));
  if (admission_->refusal) {
    // The body stays unread: answer, then close (lingering, so the answer arrives).
    linger_ = !parser_->is_done();
    const bool keep_alive = parser_->is_done() && parser_->get().keep_alive();
    std::string no_body;
    return send(context_->dispatcher.respond(*admission_, std::move(no_body),
                                             parser_->get().version(), keep_alive));
  }
  const auto expect = parser_->get()[bhttp::field::expect];
  if (!parser_->is_done() && util::iequals(expect, "100-continue")) {
    // curl waits a second for this before sending a body larger than 1 MB.
    continue_ = {bhttp::status::continue_, parser_->get().version()};
    return bhttp::async_write(stream_, continue_,
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                if (!ec) self->read_body();
                              });
  }
  read_body();
}

void Connection::read_body() {
  stream_.expires_after(context_->body_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&Connection::on_body, shared_from_this()));
}

void Connection::on_body(beast::error_code ec, std::size_t /*bytes*/) {
  if (handle_read_error(ec)) return;
  if (context_->run_handlers_inline) {
    BeastRequest request = parser_->release();
    return send(context_->dispatcher.respond(*admission_, std::move(request.body()),
                                             request.version(), request.keep_alive()));
  }
  // Handlers may block on the store, so they run on the pool; the answer comes back to this
  // connection's strand, where all socket work happens.
  net::post(context_->workers, [self = shared_from_this(), request = parser_->release()]() mutable {
    BeastResponse response = self->context_->dispatcher.respond(
        *self->admission_, std::move(request.body()), request.version(), request.keep_alive());
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
