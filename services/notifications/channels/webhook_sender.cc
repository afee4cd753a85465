#include "services/notifications/channels/webhook_sender.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/notifications/channels/curl_http.h"

namespace etnik::notifications {
namespace {

class WebhookSender : public Sender {
 public:
  WebhookSender(WebhookOptions o, std::function<std::string(absl::string_view)> secret_for_url)
      : options_(o), secret_for_url_(std::move(secret_for_url)) {}

  absl::Status Send(const OutgoingMessage& m) override {
    const std::string lower = absl::AsciiStrToLower(m.address);
    if (!absl::StartsWith(lower, "https://") && !absl::StartsWith(lower, "http://")) {
      return absl::InvalidArgumentError("webhook address must be an http(s) URI");
    }
    if (m.address.find_first_of("\r\n ") != std::string::npos) {
      return absl::InvalidArgumentError("webhook address must not contain spaces or line breaks");
    }
    if (m.json_payload.empty()) return absl::InvalidArgumentError("webhook message has no JSON payload");
    const std::string secret = secret_for_url_ ? secret_for_url_(m.address) : std::string();
    if (secret.empty()) return absl::FailedPreconditionError("no signing secret for this webhook");
    const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(absl::Now()));
    std::vector<std::string> headers = {
        "Content-Type: application/json; charset=utf-8",
        absl::StrCat("X-Etnik-Timestamp: ", timestamp),
        absl::StrCat("X-Etnik-Signature: ", WebhookSignature(secret, timestamp, m.json_payload)),
        "Expect:",  // no 100-continue round trip
    };
    if (!m.idempotency_key.empty() && m.idempotency_key.find_first_of("\r\n") == std::string::npos) {
      headers.push_back(absl::StrCat("Idempotency-Key: ", m.idempotency_key));
    }
    absl::StatusOr<internal::HttpResponse> r =
        internal::HttpPost(m.address, headers, m.json_payload, options_.timeout);
    if (!r.ok()) return r.status();
    return internal::HttpStatusToStatus(r->status, "webhook receiver");
  }

 private:
  const WebhookOptions options_;
  const std::function<std::string(absl::string_view)> secret_for_url_;
};

}  // namespace

std::unique_ptr<Sender> MakeWebhookSender(WebhookOptions o,
                                          std::function<std::string(absl::string_view url)> secret_for_url) {
  return std::make_unique<WebhookSender>(o, std::move(secret_for_url));
}

std::string WebhookSignature(absl::string_view secret, absl::string_view timestamp, absl::string_view body) {
  const std::string signed_text = absl::StrCat(timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &len);
  return absl::StrCat("sha256=", absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(mac), len)));
}

bool VerifyWebhookSignature(absl::string_view secret, absl::string_view timestamp, absl::string_view body,
                            absl::string_view signature_header) {
  const std::string expected = WebhookSignature(secret, timestamp, body);
  const std::string got = absl::AsciiStrToLower(signature_header);
  return got.size() == expected.size() && CRYPTO_memcmp(got.data(), expected.data(), got.size()) == 0;
}

}  // namespace etnik::notifications
