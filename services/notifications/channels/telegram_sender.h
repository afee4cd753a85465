#ifndef ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TELEGRAM_SENDER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TELEGRAM_SENDER_H_

// Telegram through the Bot API: POST {base_url}/bot{token}/sendMessage with {chat_id, text}
// (the subject as the first line). 429 -> RESOURCE_EXHAUSTED, 5xx and transport errors ->
// UNAVAILABLE, other 4xx -> INVALID_ARGUMENT. The token never appears in statuses or logs.

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/notifications/channels/sender.h"

namespace etnik::notifications {

struct TelegramOptions {
  std::string base_url = "https://api.telegram.org";
  std::string bot_token;
  absl::Duration timeout = absl::Seconds(10);
};

std::unique_ptr<Sender> MakeTelegramSender(TelegramOptions o);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_CHANNELS_TELEGRAM_SENDER_H_
