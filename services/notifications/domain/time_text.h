#ifndef ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_TIME_TEXT_H_
#define ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_TIME_TEXT_H_

// Instants in words for messages: "25 ноября 2026 г., 15:00 (Europe/Moscow)" or
// "25 November 2026, 15:00 (Europe/Moscow)". An unknown zone falls back to UTC and says so.

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "etnik/common/v1/text.pb.h"

namespace etnik::notifications {

// The instant in `zone` (LANGUAGE_UNSPECIFIED = Russian).
std::string FormatLocal(absl::Time t, absl::string_view zone, etnik::common::v1::Language lang);

// The instant in the recipient's zone beside the event's: "25 ноября 2026 г., 17:00
// (Asia/Yekaterinburg); по времени мероприятия: 25 ноября 2026 г., 15:00 (Europe/Moscow)"
// ("...; event time: ..." in English). Only the event's text when the recipient's zone is empty,
// the same, unknown, or at the same UTC offset at that instant.
std::string FormatForRecipient(absl::Time t, absl::string_view event_zone,
                               absl::string_view recipient_zone, etnik::common::v1::Language lang);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_DOMAIN_TIME_TEXT_H_
