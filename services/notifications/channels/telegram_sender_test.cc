#include "services/notifications/channels/telegram_sender.h"

#include <mutex>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/channels/testing/http_receiver.h"

namespace etnik::notifications {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "123456:ABC-secret-token";

// Pretends to be the Bot API: the chat id picks the answer.
class FakeBotApi {
 public:
  FakeBotApi() {
    http_.server().Post(R"(/bot([^/]+)/sendMessage)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      tokens_.push_back(req.matches[1]);
      google::protobuf::Struct body;
      if (!google::protobuf::util::JsonStringToMessage(req.body, &body).ok()) {
        res.status = 400;
        res.set_content(R"({"ok":false,"error_code":400,"description":"Bad Request: bad JSON"})", "application/json");
        return;
      }
      const std::string chat = body.fields().at("chat_id").string_value();
      requests_.push_back(body);
      if (chat == "429") {
        res.status = 429;
        res.set_content(R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}})",
                        "application/json");
      } else if (chat == "500") {
        res.status = 500;
        res.set_content(R"({"ok":false,"error_code":500,"description":"Internal Server Error"})", "application/json");
      } else if (chat == "400") {
        res.status = 400;
        res.set_content(R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", "application/json");
      } else if (chat == "not-ok") {
        res.set_content(R"({"ok": false})", "application/json");
      } else {
        res.set_content(R"({"ok": true, "result": {"message_id": 7}})", "application/json");
      }
    });
  }
  testing::HttpReceiver http_;
  std::mutex mu_;
  std::vector<std::string> tokens_;
  std::vector<google::protobuf::Struct> requests_;
};

OutgoingMessage Message(const std::string& chat) {
  OutgoingMessage m;
  m.channel = etnik::common::v1::CHANNEL_TELEGRAM;
  m.address = chat;
  m.subject = "Напоминание: Мастер-класс";
  m.body = "Здравствуйте, Анна!\nНачало: 25 ноября 2026 г., 15:00 (Europe/Moscow)\n\"кавычки\" и \\ слэш";
  return m;
}

std::unique_ptr<Sender> Make(const FakeBotApi& api) {
  TelegramOptions o;
  o.base_url = api.http_.base_url() + "/";
  o.bot_token = kToken;
  o.timeout = absl::Seconds(5);
  return MakeTelegramSender(o);
}

TEST(TelegramSender, SendsTheMessage) {
  FakeBotApi api;
  const OutgoingMessage m = Message("-100123456");
  ASSERT_TRUE(Make(api)->Send(m).ok());
  std::lock_guard<std::mutex> lock(api.mu_);
  ASSERT_EQ(api.requests_.size(), 1u);
  EXPECT_EQ(api.tokens_[0], kToken);
  const auto& f = api.requests_[0].fields();
  EXPECT_EQ(f.at("chat_id").string_value(), "-100123456");
  EXPECT_EQ(f.at("text").string_value(), m.subject + "\n\n" + m.body);
}

TEST(TelegramSender, UnsubscribeLinkForNonEssential) {
  FakeBotApi api;
  OutgoingMessage m = Message("42");
  m.unsubscribe_url = "https://etnik.example/u/abc";
  ASSERT_TRUE(Make(api)->Send(m).ok());
  std::lock_guard<std::mutex> lock(api.mu_);
  EXPECT_THAT(api.requests_.at(0).fields().at("text").string_value(), HasSubstr("https://etnik.example/u/abc"));
}

TEST(TelegramSender, AnswersMapToRetryOrDeadLetter) {
  FakeBotApi api;
  auto sender = Make(api);
  const absl::Status limited = sender->Send(Message("429"));
  EXPECT_EQ(limited.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(IsRetryable(limited));
  EXPECT_EQ(sender->Send(Message("500")).code(), absl::StatusCode::kUnavailable);
  const absl::Status bad = sender->Send(Message("400"));
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(IsRetryable(bad));
  EXPECT_EQ(sender->Send(Message("not-ok")).code(), absl::StatusCode::kInvalidArgument);
  for (const absl::Status& s : {limited, bad}) EXPECT_THAT(s.ToString(), Not(HasSubstr("secret-token")));
}

TEST(TelegramSender, BotApiDownIsUnavailableAndKeepsTheTokenSecret) {
  int port = 0;
  {
    testing::HttpReceiver gone;
    port = gone.port();
  }
  TelegramOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  o.bot_token = kToken;
  const absl::Status s = MakeTelegramSender(o)->Send(Message("42"));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_THAT(s.ToString(), Not(HasSubstr("secret-token")));
}

TEST(TelegramSender, MisconfigurationIsPermanent) {
  TelegramOptions o;
  o.base_url = "http://127.0.0.1:9";
  EXPECT_EQ(MakeTelegramSender(o)->Send(Message("42")).code(), absl::StatusCode::kFailedPrecondition);
  o.bot_token = kToken;
  EXPECT_EQ(MakeTelegramSender(o)->Send(Message("")).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace etnik::notifications
