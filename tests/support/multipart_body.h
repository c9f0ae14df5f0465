#pragma once
// Builds multipart/form-data request bodies for upload tests, the way curl -F does.
#include <string>
#include <string_view>

namespace leadline::test {

class MultipartBody {
 public:
  // Adds a file part; an empty content_type leaves the part's Content-Type header out.
  MultipartBody& file(std::string_view name, std::string_view filename, std::string_view data,
                      std::string_view content_type = "application/octet-stream") {
    body_ += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
             std::string(name) + "\"; filename=\"" + std::string(filename) + "\"\r\n";
    if (!content_type.empty()) body_ += "Content-Type: " + std::string(content_type) + "\r\n";
    body_ += "\r\n" + std::string(data) + "\r\n";
    return *this;
  }
  MultipartBody& field(std::string_view name, std::string_view value) {
    body_ += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
             std::string(name) + "\"\r\n\r\n" + std::string(value) + "\r\n";
    return *this;
  }
  std::string body() const { return body_ + "--" + std::string(kBoundary) + "--\r\n"; }
  static std::string content_type() {
    return "multipart/form-data; boundary=" + std::string(kBoundary);
  }

 private:
  static constexpr std::string_view kBoundary = "----LeadlineTestBoundary7MA4YWxk";
  std::string body_;
};

}  // namespace leadline::test
