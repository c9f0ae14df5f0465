#include "support/http_peer.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <atomic>
#include <thread>

namespace leadline::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string PeerRequest::header(const std::string& lowercase_name) const {
  auto it = headers.find(lowercase_name);
  return it == headers.end() ? std::string() : it->second;
}

Json PeerRequest::json() const { return Json::parse(body, nullptr, false); }

// One thread accepts; each connection gets a thread that reads requests and answers them with
// blocking calls. Stopping shuts the sockets down, which wakes every blocked call.
struct HttpPeer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  Handler handler;
  std::vector<PeerRequest> requests;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  std::vector<std::thread> connections;
  std::thread acceptor_thread;
  std::atomic<bool> stopping{false};

  void accept_loop() {
    while (!stopping) {
      auto socket = std::make_shared<tcp::socket>(io);
      beast::error_code ec;
      acceptor.accept(*socket, ec);
      if (ec || stopping) return;
      socket->set_option(tcp::no_delay(true), ec);
      std::lock_guard lock(mutex);
      sockets.push_back(socket);
      connections.emplace_back([this, socket] { serve(*socket); });
    }
  }

  void serve(tcp::socket& socket) {
    beast::flat_buffer buffer;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64u << 20);
      beast::error_code ec;
      http::read(socket, buffer, parser, ec);
      if (ec) return;
      const auto& req = parser.get();
      PeerRequest recorded;
      recorded.method = std::string(req.method_string());
      recorded.target = std::string(req.target());
      recorded.body = req.body();
      for (const auto& field : req) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        recorded.headers[name] = std::string(field.value());
      }
      Handler current;
      {
        std::lock_guard lock(mutex);
        current = handler;
      }
      PeerReply reply = current ? current(recorded) : PeerReply{};
      {
        std::lock_guard lock(mutex);
        requests.push_back(std::move(recorded));
      }
      changed.notify_all();
      if (reply.delay.count() > 0) {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, reply.delay, [this] { return stopping.load(); });
      }
      if (reply.drop || stopping) {
        socket.shutdown(tcp::socket::shutdown_both, ec);  // the fd closes with the peer
        return;
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
      res.set(http::field::content_type, "application/json");
      res.keep_alive(req.keep_alive());
      res.body() = reply.body;
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !res.keep_alive()) return;
    }
  }
};

HttpPeer::HttpPeer(Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(256);
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->acceptor_thread = std::thread([this] { impl_->accept_loop(); });
}

HttpPeer::~HttpPeer() {
  impl_->stopping = true;
  impl_->changed.notify_all();
  beast::error_code ec;
  // shutdown() wakes a thread blocked in accept() or read() on Linux.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  impl_->acceptor_thread.join();
  impl_->acceptor.close(ec);
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& socket : impl_->sockets) socket->shutdown(tcp::socket::shutdown_both, ec);
    connections.swap(impl_->connections);
  }
  for (auto& thread : connections) thread.join();
}

std::uint16_t HttpPeer::port() const { return impl_->port; }

std::string HttpPeer::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

void HttpPeer::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handler = std::move(handler);
}

std::vector<PeerRequest> HttpPeer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t HttpPeer::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests.size();
}

bool HttpPeer::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
}

}  // namespace leadline::test
