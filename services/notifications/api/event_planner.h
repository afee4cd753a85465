#ifndef ETNIK_SERVICES_NOTIFICATIONS_API_EVENT_PLANNER_H_
#define ETNIK_SERVICES_NOTIFICATIONS_API_EVENT_PLANNER_H_

// Domain events -> deliveries. Runs inside the stream consumer's transaction, so the deliveries
// (messages now, reminders later) commit together with the processed-event mark and the stream
// entry is acknowledged only after both are durable.
//
// Reminders: for each configured offset a delivery due at start - offset. When that instant has
// already passed but the session has not begun (a booking 30 minutes ahead) the nearest such
// reminder is due at once and the earlier ones are dropped. Reminder event ids carry the start
// time, so a reschedule cancels the pending ones and queues new ones under new keys; a cancel
// cancels them and sends the cancellation with an iCalendar CANCEL.
//
// Consent: e-mail goes out unless the person's preference disables it; Telegram only when the
// preference enables it with a chat id. A person who unsubscribed gets essential messages only;
// the others are recorded as SKIPPED.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/outbox/stream_consumer.h"
#include "etnik/events/v1/domain_event.pb.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::notifications {

inline constexpr char kRegistrationStream[] = "etnik:events:registration";
inline constexpr char kSchedulingStream[] = "etnik:events:scheduling";
inline constexpr char kHubsStream[] = "etnik:events:hubs";
inline constexpr char kConsumerGroup[] = "notifications";

struct PlannerOptions {
  // ORGANIZER of the iCalendar invitations.
  std::string organizer_email = "noreply@etnik.local";
  // Non-essential messages carry <public_base_url>/unsubscribe?token=... when the secret is set.
  std::string public_base_url;
  std::string unsubscribe_secret;
};

// Records the deliveries `event` calls for (none for events nobody is told about).
absl::Status PlanDeliveries(soci::session& s, const etnik::events::v1::DomainEvent& event, absl::Time now,
                            const PlannerOptions& options);

// The consumer handler: decodes the entry and plans it at clock.Now().
outbox::EventHandler PlanningHandler(const Clock& clock, PlannerOptions options);

}  // namespace etnik::notifications

#endif  // ETNIK_SERVICES_NOTIFICATIONS_API_EVENT_PLANNER_H_
