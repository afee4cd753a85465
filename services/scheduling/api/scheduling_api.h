#ifndef ETNIK_SERVICES_SCHEDULING_API_SCHEDULING_API_H_
#define ETNIK_SERVICES_SCHEDULING_API_SCHEDULING_API_H_

// gRPC face of the scheduling service: authenticates the caller, maps protobuf to the domain,
// calls the use cases and maps the result (errors with google.rpc details). Public listings and
// calendar feeds are cached in Redis (cache-aside) and, in front of it, in process memory (a
// near cache told of other replicas' writes over Redis pub/sub); every successful write
// invalidates them.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/redis/cache.h"
#include "common/redis/near_cache.h"
#include "etnik/scheduling/v1/scheduling_service.grpc.pb.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/scheduling/domain/scheduler.h"

namespace etnik::scheduling {

struct SchedulingApiOptions {
  absl::Duration listing_ttl = absl::Minutes(1);
  absl::Duration feed_ttl = absl::Minutes(5);
  // How long the cache generation lives; a write starts a new one at once.
  absl::Duration generation_ttl = absl::Hours(1);
  // Hot listings are also kept in process memory, dropped on invalidation messages.
  redis::NearCacheOptions near_cache;
};

// ListSessions and GetCalendarFeed are raw methods: a cached answer is sent as the stored bytes,
// never parsed and serialized again.
using SchedulingServiceBase = etnik::scheduling::v1::SchedulingService::WithRawCallbackMethod_ListSessions<
    etnik::scheduling::v1::SchedulingService::WithRawCallbackMethod_GetCalendarFeed<
        etnik::scheduling::v1::SchedulingService::CallbackService>>;

class SchedulingApi final : public SchedulingServiceBase {
 public:
  // `cache` may be null (no caching). Metrics go to `registry` when given.
  SchedulingApi(Scheduler& scheduler, const auth::Authenticator& authenticator,
                redis::Cache* cache, prometheus::Registry* registry,
                SchedulingApiOptions options = {});

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  using Empty = google::protobuf::Empty;
  template <typename T>
  using In = const T*;

  Reactor* CreateVenue(Ctx*, In<v1::CreateVenueRequest>, v1::Venue*) override;
  Reactor* GetVenue(Ctx*, In<v1::GetVenueRequest>, v1::Venue*) override;
  Reactor* ListVenues(Ctx*, In<v1::ListVenuesRequest>, v1::ListVenuesResponse*) override;
  Reactor* UpdateVenue(Ctx*, In<v1::UpdateVenueRequest>, v1::Venue*) override;
  Reactor* CreateEvent(Ctx*, In<v1::CreateEventRequest>, v1::Event*) override;
  Reactor* GetEvent(Ctx*, In<v1::GetEventRequest>, v1::Event*) override;
  Reactor* ListEvents(Ctx*, In<v1::ListEventsRequest>, v1::ListEventsResponse*) override;
  Reactor* UpdateEvent(Ctx*, In<v1::UpdateEventRequest>, v1::Event*) override;
  Reactor* DeleteEvent(Ctx*, In<v1::DeleteEventRequest>, Empty*) override;
  Reactor* BookSession(Ctx*, In<v1::BookSessionRequest>, v1::Session*) override;
  Reactor* GetSession(Ctx*, In<v1::GetSessionRequest>, v1::Session*) override;
  Reactor* ListSessions(Ctx*, const grpc::ByteBuffer* request, grpc::ByteBuffer* response) override;
  Reactor* UpdateSession(Ctx*, In<v1::UpdateSessionRequest>, v1::Session*) override;
  Reactor* RescheduleSession(Ctx*, In<v1::RescheduleSessionRequest>, v1::Session*) override;
  Reactor* CancelSession(Ctx*, In<v1::CancelSessionRequest>, v1::Session*) override;
  Reactor* MarkSessionHeld(Ctx*, In<v1::MarkSessionHeldRequest>, v1::Session*) override;
  Reactor* SuggestSlots(Ctx*, In<v1::SuggestSlotsRequest>, v1::SuggestSlotsResponse*) override;
  Reactor* RegisterAttendee(Ctx*, In<v1::RegisterAttendeeRequest>, v1::Attendee*) override;
  Reactor* CancelRegistration(Ctx*, In<v1::CancelRegistrationRequest>, v1::Attendee*) override;
  Reactor* CheckIn(Ctx*, In<v1::CheckInRequest>, v1::Attendee*) override;
  Reactor* ListAttendees(Ctx*, In<v1::ListAttendeesRequest>, v1::ListAttendeesResponse*) override;
  Reactor* GetAttendance(Ctx*, In<v1::GetAttendanceRequest>, v1::Attendance*) override;
  Reactor* GetProgrammeProgress(Ctx*, In<v1::GetProgrammeProgressRequest>,
                                v1::ProgrammeProgress*) override;
  Reactor* GetCalendarFeed(Ctx*, const grpc::ByteBuffer* request, grpc::ByteBuffer* response) override;

 private:
  absl::StatusOr<Actor> ActorOf(Ctx* context) const;
  // Listings and feeds are cached in one scope, the cache generation; a write starts a new one,
  // so no write leaves a stale listing behind (see common/redis/cache.h, scoped reads).
  void InvalidateListings();
  // Reads through the cache when there is one.
  absl::StatusOr<std::string> Cached(const std::string& key, absl::Duration ttl,
                                     const redis::Cache::Loader& loader);
  void CountBookingResult(const absl::Status& status);

  Scheduler& scheduler_;
  const auth::Authenticator& authenticator_;
  redis::Cache* cache_;
  const SchedulingApiOptions options_;
  prometheus::Registry near_registry_;  // the near cache's metrics when no registry is given
  std::unique_ptr<redis::NearCache> near_;  // in front of cache_ when enabled
  prometheus::Counter* booked_ = nullptr;
  prometheus::Family<prometheus::Counter>* refused_ = nullptr;
};

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_API_SCHEDULING_API_H_
