#include "support/http_client.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace leadline::test {
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

Json HttpResult::json() const { return Json::parse(body, nullptr, false); }

std::string HttpResult::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(std::uint16_t port, std::string bearer)
    : port_(port), bearer_(std::move(bearer)) {}

HttpClient::~HttpClient() {
  if (stream_) {
    beast::error_code ec;
    stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
  }
}

void HttpClient::connect() {
  stream_.emplace(io_);
  stream_->connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
}

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::optional<std::string>& body,
                               const std::map<std::string, std::string>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!stream_) connect();
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!bearer_.empty()) req.set(http::field::authorization, "Bearer " + bearer_);
    if (body) {
      req.set(http::field::content_type, "application/json");
      req.body() = *body;
    }
    for (const auto& [name, value] : headers) req.set(name, value);
    req.prepare_payload();
    beast::error_code ec;
    stream_->expires_after(std::chrono::seconds(60));
    http::write(*stream_, req, ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    if (!ec) http::read(*stream_, buffer, parser, ec);
    if (ec) {
      stream_.reset();  // the server closed a kept-alive connection: reconnect once
      if (attempt == 0) continue;
      throw beast::system_error(ec);
    }
    auto res = parser.release();
    HttpResult result;
    result.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      result.headers[name] = std::string(field.value());
    }
    result.body = std::move(res.body());
    if (!res.keep_alive()) stream_.reset();
    return result;
  }
  return {};
}

}  // namespace leadline::test
