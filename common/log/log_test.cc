#include "common/log/log.h"

#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace etnik::log {
namespace {

// Each line must be one JSON object an independent parser accepts.
google::protobuf::Struct Parse(const std::string& line) {
  google::protobuf::Struct parsed;
  auto status = google::protobuf::util::JsonStringToMessage(line, &parsed);
  EXPECT_TRUE(status.ok()) << line;
  return parsed;
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetSink([this](absl::string_view line) { lines_.emplace_back(line); });
    SetMinLevel(Level::kInfo);
    SetServiceName("scheduling");
  }
  void TearDown() override { SetSink(nullptr); }
  std::vector<std::string> lines_;
};

TEST_F(LogTest, LineIsJsonWithServiceLevelAndFields) {
  Info("сессия забронирована", {{"session", "sessions/7"}, {"note", "quote \" and\nnewline"}});
  ASSERT_EQ(lines_.size(), 1u);
  auto fields = Parse(lines_[0]).fields();
  EXPECT_EQ(fields.at("level").string_value(), "info");
  EXPECT_EQ(fields.at("service").string_value(), "scheduling");
  EXPECT_EQ(fields.at("msg").string_value(), "сессия забронирована");
  EXPECT_EQ(fields.at("session").string_value(), "sessions/7");
  EXPECT_EQ(fields.at("note").string_value(), "quote \" and\nnewline");
  EXPECT_EQ(lines_[0].find('\n'), std::string::npos);
}

TEST_F(LogTest, RequestIdIsScopedToTheThread) {
  {
    ScopedRequestId id("req-1");
    Info("inside");
  }
  Info("outside");
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(Parse(lines_[0]).fields().at("request_id").string_value(), "req-1");
  EXPECT_FALSE(Parse(lines_[1]).fields().contains("request_id"));
}

TEST_F(LogTest, BelowMinimumLevelIsDropped) {
  Debug("noise");
  SetMinLevel(Level::kError);
  Warning("still noise");
  Error("real");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(Parse(lines_[0]).fields().at("level").string_value(), "error");
}

TEST_F(LogTest, ControlCharactersAreEscaped) {
  EXPECT_EQ(JsonEscape(std::string("a\x01z", 3)), "a\\u0001z");
}

}  // namespace
}  // namespace etnik::log
