// The baseline for bench/http_bench.sh: the smallest reasonable Beast server (same threading
// as Leadline's: one io_context, a thread per core, a strand per connection, keep-alive),
// answering every request with a constant small JSON body. Usage: bench_minimal_server PORT
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using net::ip::tcp;

constexpr std::string_view kBody = R"({"id":"wf_00000000000000","title":"bench","status":"draft"})";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket&& socket) : stream_(std::move(socket)) {}

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(60));
    bhttp::async_read(stream_, buffer_, request_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return close();
    response_ = {bhttp::status::ok, request_.version()};
    response_.set(bhttp::field::server, "minimal");
    response_.set(bhttp::field::content_type, "application/json");
    response_.body() = kBody;
    response_.content_length(kBody.size());
    response_.keep_alive(request_.keep_alive());
    bhttp::async_write(stream_, response_,
                       beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec || response_.need_eof()) return close();
    do_read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::endpoint endpoint)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket))->run();
    }
    accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: bench_minimal_server PORT\n";
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  net::io_context ioc(static_cast<int>(threads));
  std::make_shared<Listener>(ioc, tcp::endpoint{net::ip::make_address("127.0.0.1"), port})
      ->accept();
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  std::cout << "listening on 127.0.0.1:" << port << std::endl;
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}
