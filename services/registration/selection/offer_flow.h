#ifndef ETNIK_SERVICES_REGISTRATION_SELECTION_OFFER_FLOW_H_
#define ETNIK_SERVICES_REGISTRATION_SELECTION_OFFER_FLOW_H_

// Offers and the seats they hold, shared by the gRPC handlers and the offer sweeper: making an
// offer, giving a freed seat to the waiting list (refill), and expiring overdue offers. The
// functions taking a soci::session run inside the caller's write transaction and put their
// events into the outbox there.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/db/database.h"
#include "etnik/events/v1/domain_event.pb.h"
#include "etnik/events/v1/person.pb.h"
#include "etnik/registration/v1/application.pb.h"
#include "etnik/registration/v1/programme.pb.h"
#include "etnik/registration/v1/selection.pb.h"
#include "services/registration/selection/quota_groups.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::registration {

// Who caused a change, for the events' actor and request_id; empty subject for timers.
struct FlowActor {
  std::string subject;
  std::string request_id;
};

// Offers get this long to be answered when the programme does not say.
inline constexpr absl::Duration kDefaultOfferReplyDuration = absl::Hours(24 * 7);

// The outbox stream registration's events go to.
inline constexpr char kFlowEventStream[] = "etnik:events:registration";

// Puts `event` into the outbox in the caller's transaction, with its envelope filled.
absl::Status EmitEvent(soci::session& s, absl::Time now, const FlowActor& actor, absl::string_view aggregate_id,
                       etnik::events::v1::DomainEvent event);

// The contact person of an application as events carry it.
etnik::events::v1::Person PersonOf(const etnik::registration::v1::Application& a);

// The application as the selection sees it.
Candidate CandidateOf(const etnik::registration::v1::Application& a);

// Offers a seat: a new OPEN offer answering by now + the programme's reply duration (in its
// zone), the application SELECTED and pointing at it, OfferMade.
absl::StatusOr<etnik::registration::v1::Offer> MakeOffer(soci::session& s,
                                                         const etnik::registration::v1::Programme& programme,
                                                         etnik::registration::v1::Application& application,
                                                         absl::Time now, bool from_waitlist, const FlowActor& actor);

// After a decline or expiry: when fewer applications hold seats (SELECTED or CONFIRMED) than
// the committed run's seats, offers one to the waiting list's next candidate by PickRefill
// under the run's quotas (ApplicationSelected with no run, OfferMade from_waitlist). nullopt
// when no seat is free or nobody fits.
absl::StatusOr<std::optional<etnik::registration::v1::Offer>> Refill(
    soci::session& s, const etnik::registration::v1::Programme& programme, absl::Time now, const FlowActor& actor);

// An application holding an OPEN offer was withdrawn: the offer closes as declined
// (OfferDeclined) and its seat goes to the waiting list (Refill). Nothing happens when the
// application has no open offer.
absl::Status ReleaseOfferOfWithdrawn(soci::session& s, const etnik::registration::v1::Programme& programme,
                                     const etnik::registration::v1::Application& withdrawn, absl::Time now,
                                     const FlowActor& actor);

// Expires every OPEN offer whose deadline is at or before `now` (offer EXPIRED, application
// EXPIRED, OfferExpired, then Refill), one transaction per offer so a failure leaves the rest
// to the next sweep. Returns how many it expired.
absl::StatusOr<int> ExpireDueOffers(db::Database& db, absl::Time now);

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_SELECTION_OFFER_FLOW_H_
