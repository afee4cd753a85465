#include "services/notifications/channels/webhook_sender.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/channels/testing/http_receiver.h"

namespace etnik::notifications {
namespace {

constexpr char kSecret[] = "whsec-0123456789";

// The receiver's own HMAC, computed here with OpenSSL rather than with WebhookSignature.
std::string ReceiverSignature(const std::string& secret, const std::string& timestamp, const std::string& body) {
  const std::string text = timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  return "sha256=" + absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(mac), len));
}

// A subscriber that accepts only posts signed with kSecret within five minutes.
class Receiver {
 public:
  Receiver() {
    http_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      const std::string ts = req.get_header_value("X-Etnik-Timestamp");
      int64_t seconds = 0;
      const bool fresh = absl::SimpleAtoi(ts, &seconds) &&
                         std::abs(absl::ToUnixSeconds(absl::Now()) - seconds) < 300;
      const bool signed_ok = req.get_header_value("X-Etnik-Signature") == ReceiverSignature(kSecret, ts, req.body);
      if (!fresh || !signed_ok) {
        ++rejected_;
        res.status = 401;
        return;
      }
      bodies_.push_back(req.body);
      keys_.push_back(req.get_header_value("Idempotency-Key"));
      content_type_ = req.get_header_value("Content-Type");
      res.status = 204;
    });
    http_.server().Post("/busy", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
    http_.server().Post("/slow-down", [](const httplib::Request&, httplib::Response& res) { res.status = 429; });
    http_.server().Post("/gone", [](const httplib::Request&, httplib::Response& res) { res.status = 410; });
    http_.server().Post("/stuck", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::seconds(1));  // longer than the sender's timeout
      res.status = 204;
    });
  }
  std::string url(const std::string& path) const { return http_.base_url() + path; }

  testing::HttpReceiver http_;
  std::mutex mu_;
  std::vector<std::string> bodies_, keys_;
  std::string content_type_;
  int rejected_ = 0;
};

OutgoingMessage Hook(const std::string& url) {
  OutgoingMessage m;
  m.channel = etnik::common::v1::CHANNEL_WEBHOOK;
  m.address = url;
  m.json_payload = R"({"event_type":"etnik.events.v1.SessionBooked","session":{"title":"Мастер-класс"}})";
  m.idempotency_key = "evt-1:webhookSubscriptions/w1:WEBHOOK";
  return m;
}

TEST(WebhookSignature, MatchesAnIndependentHmac) {
  // python3: hmac.new(b"key-123", b'1795608000.{"a":1}', hashlib.sha256).hexdigest()
  EXPECT_EQ(WebhookSignature("key-123", "1795608000", R"({"a":1})"),
            "sha256=f2d12ef4ee2ce83e6869350b581f170df8cf283474a5b03dcc13ba4f6583528f");
  const std::string sig = WebhookSignature("k", "1", "body");
  EXPECT_TRUE(VerifyWebhookSignature("k", "1", "body", sig));
  EXPECT_FALSE(VerifyWebhookSignature("k", "2", "body", sig));
  EXPECT_FALSE(VerifyWebhookSignature("other", "1", "body", sig));
  EXPECT_FALSE(VerifyWebhookSignature("k", "1", "body!", sig));
  EXPECT_FALSE(VerifyWebhookSignature("k", "1", "body", ""));
}

TEST(WebhookSender, ReceiverVerifiesTheSignature) {
  Receiver r;
  auto sender = MakeWebhookSender({}, [&](absl::string_view url) {
    return url == r.url("/hook") ? std::string(kSecret) : std::string();
  });
  const OutgoingMessage m = Hook(r.url("/hook"));
  ASSERT_TRUE(sender->Send(m).ok());
  std::lock_guard<std::mutex> lock(r.mu_);
  ASSERT_EQ(r.bodies_.size(), 1u);
  EXPECT_EQ(r.bodies_[0], m.json_payload);
  EXPECT_EQ(r.keys_[0], m.idempotency_key);
  EXPECT_EQ(r.content_type_, "application/json; charset=utf-8");
  EXPECT_EQ(r.rejected_, 0);
}

TEST(WebhookSender, WrongSecretIsRejectedByTheReceiver) {
  Receiver r;
  auto sender = MakeWebhookSender({}, [](absl::string_view) { return std::string("not-the-secret"); });
  const absl::Status s = sender->Send(Hook(r.url("/hook")));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;  // 401: permanent
  std::lock_guard<std::mutex> lock(r.mu_);
  EXPECT_EQ(r.rejected_, 1);
  EXPECT_TRUE(r.bodies_.empty());
}

TEST(WebhookSender, AnswersMapToRetryOrDeadLetter) {
  Receiver r;
  WebhookOptions o;
  o.timeout = absl::Milliseconds(300);
  auto sender = MakeWebhookSender(o, [](absl::string_view) { return std::string(kSecret); });
  EXPECT_EQ(sender->Send(Hook(r.url("/busy"))).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(sender->Send(Hook(r.url("/slow-down"))).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(sender->Send(Hook(r.url("/gone"))).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sender->Send(Hook(r.url("/stuck"))).code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(WebhookSender, RefusesWhatCannotWork) {
  auto no_secret = MakeWebhookSender({}, [](absl::string_view) { return std::string(); });
  EXPECT_EQ(no_secret->Send(Hook("http://127.0.0.1:9/hook")).code(), absl::StatusCode::kFailedPrecondition);
  auto sender = MakeWebhookSender({}, [](absl::string_view) { return std::string(kSecret); });
  EXPECT_EQ(sender->Send(Hook("ftp://example.org/x")).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sender->Send(Hook("file:///etc/passwd")).code(), absl::StatusCode::kInvalidArgument);
  OutgoingMessage empty = Hook("http://127.0.0.1:9/hook");
  empty.json_payload.clear();
  EXPECT_EQ(sender->Send(empty).code(), absl::StatusCode::kInvalidArgument);
}

TEST(WebhookSender, ClosedPortIsUnavailable) {
  int port = 0;
  {
    testing::HttpReceiver gone;
    port = gone.port();
  }
  auto sender = MakeWebhookSender({}, [](absl::string_view) { return std::string(kSecret); });
  const absl::Status s = sender->Send(Hook(absl::StrCat("http://127.0.0.1:", port, "/hook")));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
}

}  // namespace
}  // namespace etnik::notifications
