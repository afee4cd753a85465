#ifndef ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_SENDER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_SENDER_H_

// What the delivery worker hands to a channel, and the channel port. Senders are thread-safe
// (several workers share one) and never log secrets or message bodies.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "etnik/common/v1/channel.pb.h"

namespace etnik::notifications {

struct Attachment {
  std::string filename;      // e.g. "invite.ics"
  std::string content_type;  // e.g. "text/calendar; method=REQUEST; charset=UTF-8"
  std::string data;
};

struct OutgoingMessage {
  etnik::common::v1::Channel channel = etnik::common::v1::CHANNEL_UNSPECIFIED;
  std::string address;          // email address, webhook URL, Telegram chat id
  std::string recipient_name;
  std::string subject;
  std::string body;             // plain text, UTF-8
  std::string json_payload;     // webhooks: the JSON body to POST
  std::string unsubscribe_url;  // non-empty for non-essential email: List-Unsubscribe + footer
  std::vector<Attachment> attachments;
  std::string idempotency_key;  // Message-ID (email), Idempotency-Key header (webhook)
};

// OK when handed off. UNAVAILABLE / DEADLINE_EXCEEDED / RESOURCE_EXHAUSTED: retry later;
// INVALID_ARGUMENT / FAILED_PRECONDITION: permanent (dead letter).
class Sender {
 public:
  virtual ~Sender() = default;
  virtual absl::Status Send(const OutgoingMessage& m) = 0;
};

// True when a Send status means "try again later".
bool IsRetryable(const absl::Status& status);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_SENDER_H_
