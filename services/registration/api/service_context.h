#ifndef ETNIK_SERVICES_REGISTRATION_API_SERVICE_CONTEXT_H_
#define ETNIK_SERVICES_REGISTRATION_API_SERVICE_CONTEXT_H_

// What every registration handler works with: the database, the clock, the shared cache, the
// authenticator and the outbox; and who one call's caller is.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/identity.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/redis/cache.h"
#include "etnik/events/v1/domain_event.pb.h"
#include "services/registration/domain/messages.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::registration {

// The stream registration's events go to; hubs and scheduling consume it.
inline constexpr char kRegistrationEventStream[] = "etnik:events:registration";
inline constexpr char kProducer[] = "registration";

// Shared by all handlers (and the offer sweeper). References must outlive the service.
struct ServiceContext {
  db::Database& db;
  const Clock& clock;
  const auth::Authenticator& authenticator;
  // Public reads (programmes, forms) go through it; null means no caching.
  redis::Cache* cache = nullptr;
  absl::Duration cache_ttl = absl::Minutes(5);
  // Called after a commit that enqueued events, so the relay publishes them now.
  std::function<void()> notify_outbox;

  void NotifyOutbox() const {
    if (notify_outbox) notify_outbox();
  }
};

// The caller of one call.
struct Caller {
  auth::Identity identity;
  // From the `accept-language` metadata; Russian by default.
  Language lang = Language::kRussian;
  // The `x-request-id` of the call, for events.
  std::string request_id;
};

bool IsOrganiser(const auth::Identity& who);
bool IsReviewer(const auth::Identity& who);

// Language of a call from its `accept-language` metadata.
Language CallLanguage(const grpc::ServerContextBase& context);

// Adds `event` to the outbox inside the caller's transaction: fills event_id, type (from the
// payload), occur_time (the context's clock), producer, aggregate_id, request_id and actor.
// Call ctx.NotifyOutbox() after the commit.
absl::Status EnqueueEvent(soci::session& s, const ServiceContext& ctx, const Caller& caller,
                          absl::string_view aggregate_id, etnik::events::v1::DomainEvent event);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_API_SERVICE_CONTEXT_H_
