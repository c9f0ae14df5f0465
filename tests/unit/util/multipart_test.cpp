#include "util/multipart.h"

#include "util/input_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace leadline::util {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----XyZ";

std::vector<FormPart> parse_ok(std::string_view body, std::string_view type = kType) {
  auto result = parse_multipart(body, type);
  if (auto* error = std::get_if<ParseError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message;
    return {};
  }
  return std::get<std::vector<FormPart>>(std::move(result));
}

std::string parse_error(std::string_view body, std::string_view type = kType) {
  auto result = parse_multipart(body, type);
  if (!std::holds_alternative<ParseError>(result)) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return std::get<ParseError>(result).message;
}

const std::string kBody =
    "------XyZ\r\n"
    "Content-Disposition: form-data; name=\"skip_invalid\"\r\n"
    "\r\n"
    "true\r\n"
    "------XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"leads.csv\"\r\n"
    "Content-Type: text/csv\r\n"
    "\r\n"
    "phone_number,name\r\n+14155550100,Ann\r\n"
    "\r\n"
    "------XyZ--\r\n";

TEST(Multipart, SplitsFieldsAndFiles) {
  auto parts = parse_ok(kBody);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "skip_invalid");
  EXPECT_EQ(parts[0].filename, "");
  EXPECT_EQ(parts[0].content_type, "");
  EXPECT_EQ(parts[0].data, "true");
  EXPECT_EQ(parts[1].name, "file");
  EXPECT_EQ(parts[1].filename, "leads.csv");
  EXPECT_EQ(parts[1].content_type, "text/csv");
  // Only the CRLF that belongs to the delimiter is removed; the file's own stays.
  EXPECT_EQ(parts[1].data, "phone_number,name\r\n+14155550100,Ann\r\n");
}

TEST(Multipart, DataViewsPointIntoTheBody) {
  auto parts = parse_ok(kBody);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_GE(parts[1].data.data(), kBody.data());
  EXPECT_LE(parts[1].data.data() + parts[1].data.size(), kBody.data() + kBody.size());
}

TEST(Multipart, AcceptsQuotedBoundaryAndCaseInsensitiveNames) {
  const std::string body =
      "--a b;c\r\ncontent-disposition: FORM-DATA; NAME=\"x\"\r\n\r\n1\r\n--a b;c--";
  auto parts = parse_ok(body, "Multipart/Form-Data; charset=utf-8; Boundary=\"a b;c\"");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].name, "x");
  EXPECT_EQ(parts[0].data, "1");
}

TEST(Multipart, KeepsBinaryDataAndLookalikeBoundaries) {
  const std::string data("PK\x03\x04\0\r\n------XyZa\r\n--", 21);
  const std::string body =
      "------XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"a.xlsx\"\r\n\r\n" +
      data + "\r\n------XyZ--";
  auto parts = parse_ok(body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, data);
}

TEST(Multipart, IgnoresPreambleAndEpilogue) {
  const std::string body =
      "preamble text\r\n------XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
      "v\r\n------XyZ--\r\nepilogue";
  auto parts = parse_ok(body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "v");
}

TEST(Multipart, ToleratesBareLineFeeds) {
  const std::string body =
      "------XyZ\nContent-Disposition: form-data; name=\"a\"\n\nline1\nline2\n------XyZ--\n";
  auto parts = parse_ok(body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "line1\nline2");
}

TEST(Multipart, HandlesEmptyPartsAndEscapedQuotes) {
  const std::string body =
      "------XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\\\"y;z.csv\"\r\n"
      "\r\n\r\n------XyZ--";
  auto parts = parse_ok(body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "x\"y;z.csv");
  EXPECT_EQ(parts[0].data, "");
}

TEST(Multipart, DecodesExtendedFilename) {
  const std::string body =
      "------XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename*=UTF-8''l%C3%A9ads%20may.csv\r\n\r\nx\r\n------XyZ--";
  auto parts = parse_ok(body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename,
            "l\xC3\xA9"
            "ads may.csv");
}

TEST(Multipart, EmptyFormHasNoParts) { EXPECT_TRUE(parse_ok("------XyZ--\r\n").empty()); }

TEST(Multipart, RejectsOtherContentTypes) {
  EXPECT_EQ(parse_error(kBody, "application/json"), "content type is not multipart/form-data");
  EXPECT_EQ(parse_error(kBody, ""), "content type is not multipart/form-data");
}

TEST(Multipart, RejectsMissingBoundary) {
  EXPECT_EQ(parse_error(kBody, "multipart/form-data"),
            "multipart/form-data content type has no valid boundary");
  EXPECT_EQ(parse_error(kBody, "multipart/form-data; boundary=\"\""),
            "multipart/form-data content type has no valid boundary");
}

TEST(Multipart, RejectsBodyWithoutBoundary) {
  EXPECT_EQ(parse_error("just some text"), "multipart body has no boundary");
  EXPECT_EQ(parse_error(""), "multipart body has no boundary");
}

TEST(Multipart, RejectsTruncatedBody) {
  EXPECT_EQ(parse_error(kBody.substr(0, kBody.size() - 30)),
            "multipart body has no closing boundary");
  EXPECT_EQ(parse_error("------XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"),
            "multipart part 1 has no end of headers");
}

TEST(Multipart, RejectsPartWithoutName) {
  EXPECT_EQ(parse_error("------XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n------XyZ--"),
            "multipart part 1 has no field name");
}

TEST(Multipart, RejectsGarbageAfterBoundary) {
  EXPECT_EQ(parse_error("------XyZ junk\r\n"), "malformed multipart boundary line");
}

TEST(Multipart, SplitsLargeBodyWithoutCopying) {
  std::string file(20 * 1024 * 1024, 'a');
  for (size_t i = 0; i < file.size(); i += 100) file[i] = '\n';
  const std::string body =
      "------XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"big.csv\"\r\n\r\n" +
      file + "\r\n------XyZ--\r\n";
  auto parts = parse_ok(body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data.size(), file.size());
  EXPECT_EQ(parts[0].data, file);
}

TEST(Multipart, BoundsPartCountAndHeaderSize) {
  std::string body;
  for (size_t i = 0; i < limits::kMaxMultipartParts; ++i)
    body += "------XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  EXPECT_EQ(parse_ok(body + "------XyZ--\r\n").size(), limits::kMaxMultipartParts);
  body += "------XyZ\r\nContent-Disposition: form-data; name=\"g\"\r\n\r\nx\r\n";
  EXPECT_EQ(
      parse_error(body + "------XyZ--\r\n"),
      "the form has more than " + std::to_string(limits::kMaxMultipartParts) + " parts, the limit");
  const std::string long_header = "------XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\nX: " +
                                  std::string(limits::kMaxMultipartHeaderBytes, 'a') +
                                  "\r\n\r\nx\r\n------XyZ--\r\n";
  EXPECT_EQ(parse_error(long_header), "the headers of multipart part 1 are longer than " +
                                          std::to_string(limits::kMaxMultipartHeaderBytes) +
                                          " bytes, the limit, or never end");
}

}  // namespace
}  // namespace leadline::util
