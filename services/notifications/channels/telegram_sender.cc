#include "services/notifications/channels/telegram_sender.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/notifications/channels/curl_http.h"

namespace etnik::notifications {
namespace {

// The Bot API refuses longer texts; cut at a UTF-8 character boundary.
constexpr size_t kMaxTextBytes = 4096 * 2;
constexpr size_t kMaxTextChars = 4096;

std::string Truncate(const std::string& text) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size() && i < kMaxTextBytes; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars > kMaxTextChars) {
      return text.substr(0, i);
    }
  }
  if (text.size() <= kMaxTextBytes) return text;
  size_t cut = kMaxTextBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

class TelegramSender : public Sender {
 public:
  explicit TelegramSender(TelegramOptions o) : options_(std::move(o)) {
    absl::string_view base = options_.base_url;
    while (absl::ConsumeSuffix(&base, "/")) {
    }
    url_ = absl::StrCat(base, "/bot", options_.bot_token, "/sendMessage");
  }

  absl::Status Send(const OutgoingMessage& m) override {
    if (options_.bot_token.empty()) return absl::FailedPreconditionError("Telegram bot token is not configured");
    if (m.address.empty()) return absl::InvalidArgumentError("Telegram message has no chat id");
    std::string text = m.subject.empty() ? m.body : absl::StrCat(m.subject, "\n\n", m.body);
    if (!m.unsubscribe_url.empty()) absl::StrAppend(&text, "\n\nОтписаться / Unsubscribe: ", m.unsubscribe_url);
    const std::string payload = absl::StrCat("{\"chat_id\":", internal::JsonString(m.address),
                                             ",\"text\":", internal::JsonString(Truncate(text)),
                                             ",\"disable_web_page_preview\":true}");
    absl::StatusOr<internal::HttpResponse> r = internal::HttpPost(
        url_, {"Content-Type: application/json; charset=utf-8", "Expect:"}, payload, options_.timeout);
    if (!r.ok()) return r.status();
    absl::Status s = internal::HttpStatusToStatus(r->status, "Telegram Bot API");
    if (!s.ok()) return s;
    // 200 with "ok": false is a refusal too.
    std::string compact = r->body;
    compact.erase(std::remove_if(compact.begin(), compact.end(), [](char c) { return absl::ascii_isspace(c); }),
                  compact.end());
    if (!absl::StrContains(compact, "\"ok\":true")) {
      return absl::InvalidArgumentError("Telegram Bot API did not accept the message");
    }
    return absl::OkStatus();
  }

 private:
  const TelegramOptions options_;
  std::string url_;  // holds the token: never logged, never in a status
};

}  // namespace

std::unique_ptr<Sender> MakeTelegramSender(TelegramOptions o) {
  return std::make_unique<TelegramSender>(std::move(o));
}

}  // namespace etnik::notifications
