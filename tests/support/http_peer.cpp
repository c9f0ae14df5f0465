#include "support/http_peer.h"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace leadline::test {
namespace {
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
}  // namespace

std::string PeerRequest::header(const std::string& lowercase_name) const {
  auto it = headers.find(lowercase_name);
  return it == headers.end() ? "" : it->second;
}

Json PeerRequest::json() const { return Json::parse(body, nullptr, false); }

struct HttpPeer::State {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  Handler handler;
  std::vector<PeerRequest> requests;
  std::atomic<bool> stopping{false};
  std::thread accept_thread;
  std::vector<std::thread> connections;
  std::vector<std::shared_ptr<tcp::socket>> sockets;

  void serve(std::shared_ptr<tcp::socket> socket) {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    while (!stopping) {
      bhttp::request<bhttp::string_body> req;
      bhttp::read(*socket, buffer, req, ec);
      if (ec) break;
      PeerRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      r.body = req.body();
      for (const auto& field : req) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(field.value());
      }
      Handler h;
      {
        std::lock_guard lock(mutex);
        h = handler;
      }
      PeerReply reply = h ? h(r) : PeerReply{};
      {
        std::lock_guard lock(mutex);
        requests.push_back(r);
      }
      arrived.notify_all();
      if (reply.delay.count() > 0) std::this_thread::sleep_for(reply.delay);
      if (reply.drop) break;
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(reply.status), 11};
      res.set(bhttp::field::content_type, "application/json");
      res.body() = reply.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      bhttp::write(*socket, res, ec);
      if (ec || !req.keep_alive()) break;
    }
    socket->shutdown(tcp::socket::shutdown_both, ec);
    socket->close(ec);
  }
};

HttpPeer::HttpPeer(Handler handler) : state_(std::make_shared<State>()) {
  state_->handler = std::move(handler);
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  state_->port = state_->acceptor.local_endpoint().port();
  state_->accept_thread = std::thread([s = state_.get()] {
    while (!s->stopping) {
      auto socket = std::make_shared<tcp::socket>(s->io);
      boost::system::error_code ec;
      s->acceptor.accept(*socket, ec);
      if (ec || s->stopping) break;
      std::lock_guard lock(s->mutex);
      s->sockets.push_back(socket);
      s->connections.emplace_back([s, socket] { s->serve(socket); });
    }
  });
}

HttpPeer::~HttpPeer() {
  state_->stopping = true;
  boost::system::error_code ec;
  // Wake the blocking accept with a connection of our own, then close everything.
  {
    tcp::socket poke(state_->io);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), state_->port), ec);
  }
  if (state_->accept_thread.joinable()) state_->accept_thread.join();
  state_->acceptor.close(ec);
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(state_->mutex);
    for (auto& s : state_->sockets) s->shutdown(tcp::socket::shutdown_both, ec);
    connections.swap(state_->connections);
  }
  for (auto& t : connections)
    if (t.joinable()) t.join();
}

std::uint16_t HttpPeer::port() const { return state_->port; }
std::string HttpPeer::url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

void HttpPeer::set_handler(Handler handler) {
  std::lock_guard lock(state_->mutex);
  state_->handler = std::move(handler);
}

std::vector<PeerRequest> HttpPeer::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t HttpPeer::request_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests.size();
}

bool HttpPeer::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->arrived.wait_for(lock, timeout, [&] { return state_->requests.size() >= n; });
}

}  // namespace leadline::test
