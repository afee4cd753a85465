#ifndef ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_SMTP_SENDER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_SMTP_SENDER_H_

// E-mail over SMTP with libcurl: MIME multipart/mixed with a text/plain UTF-8 part (base64) and
// the attachments, RFC 2047 encoded subject and names, Date, Message-ID from the idempotency
// key, List-Unsubscribe for non-essential mail. smtps:// or STARTTLS when require_tls.

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notifications/channels/sender.h"

namespace etnik::notifications {

struct SmtpOptions {
  std::string url = "smtp://127.0.0.1:2525";
  std::string from = "etnik <noreply@etnik.local>";
  std::string username, password;
  bool require_tls = false;
  absl::Duration timeout = absl::Seconds(10);
};

std::unique_ptr<Sender> MakeSmtpSender(SmtpOptions o);

// The RFC 5322 message the SMTP sender transmits (exposed for tests). `now` is the Date.
std::string BuildMimeMessage(const OutgoingMessage& m, absl::string_view from, absl::Time now);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_SMTP_SENDER_H_
