#ifndef ETNIK_SERVICES_SCHEDULING_STORE_SQL_TX_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_SQL_TX_H_

// SchedulingTx over one SOCI session inside a Database transaction. Every method catches SOCI
// exceptions at this boundary and returns them as absl::Status (common/db/db_errors.h).

#include <string>

#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "services/scheduling/domain/ports.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::scheduling::store {

// The Redis stream scheduling's facts are published to.
inline constexpr char kEventStream[] = "etnik:events:scheduling";

class SqlTx final : public SchedulingTx {
 public:
  SqlTx(soci::session& session, const Clock& clock) : session_(session), clock_(clock) {}

  absl::StatusOr<std::optional<std::string>> FindRequest(absl::string_view key) override;
  absl::Status RecordRequest(absl::string_view key, absl::string_view resource) override;

  absl::StatusOr<std::optional<Venue>> GetVenue(absl::string_view id) override;
  absl::Status InsertVenue(const Venue& venue) override;
  absl::Status UpdateVenue(const Venue& venue) override;
  absl::StatusOr<std::vector<Venue>> ListVenues(absl::string_view after_id, int limit) override;

  absl::StatusOr<std::optional<Event>> GetEvent(absl::string_view id) override;
  absl::Status InsertEvent(const Event& event) override;
  absl::Status UpdateEvent(const Event& event) override;
  absl::Status DeleteEvent(absl::string_view id) override;
  absl::StatusOr<std::vector<Event>> ListEvents(const EventQuery& query) override;
  absl::StatusOr<int64_t> CountSessionsOfEvent(absl::string_view event_id, bool live_only) override;

  absl::StatusOr<std::optional<Session>> GetSession(const SessionRef& ref) override;
  absl::Status InsertSession(const Session& session) override;
  absl::Status UpdateSession(const Session& session) override;
  absl::Status UpdateSessionCounters(const Session& session) override;
  absl::StatusOr<std::vector<Session>> ListSessions(const SessionQuery& query) override;
  absl::StatusOr<int64_t> CountHostedSessions(absl::string_view expert, const Interval& range,
                                              absl::string_view exclude) override;

  absl::Status Reserve(absl::string_view resource, const Interval& range,
                       absl::string_view holder) override;
  absl::Status ReleaseAll(absl::string_view holder) override;
  absl::StatusOr<std::vector<BusyRange>> ListBusy(absl::string_view resource,
                                                  const Interval& range) override;

  absl::StatusOr<bool> TryTakeSeat(absl::string_view key, int64_t capacity) override;
  absl::Status ReturnSeat(absl::string_view key) override;

  absl::StatusOr<std::optional<Attendee>> GetAttendee(const AttendeeRef& ref) override;
  absl::StatusOr<std::optional<Attendee>> FindLiveAttendee(const SessionRef& session,
                                                           absl::string_view email,
                                                           absl::string_view participant) override;
  absl::Status InsertAttendee(const Attendee& attendee) override;
  absl::Status UpdateAttendee(const Attendee& attendee) override;
  absl::StatusOr<std::vector<Attendee>> FirstWaiting(const SessionRef& session, int limit) override;
  absl::StatusOr<int32_t> WaitlistPosition(const Attendee& attendee) override;
  absl::StatusOr<std::vector<Attendee>> ListAttendees(const AttendeeQuery& query) override;
  absl::StatusOr<std::vector<AttendanceRow>> ListAttendance(absl::string_view programme,
                                                            absl::string_view participant) override;

  absl::StatusOr<std::vector<SessionTally>> TallySessions(absl::string_view programme) override;

  absl::StatusOr<std::optional<StageWindow>> GetStage(absl::string_view stage) override;
  absl::StatusOr<std::vector<StageWindow>> ListStages(absl::string_view programme) override;
  absl::Status PutStage(const StageWindow& stage) override;
  absl::StatusOr<std::optional<ExpertProfile>> GetExpert(absl::string_view expert) override;
  absl::Status PutExpert(const ExpertProfile& expert) override;
  absl::StatusOr<std::optional<HubInfo>> GetHub(absl::string_view hub) override;
  absl::Status PutHub(const HubInfo& hub) override;

  absl::Status Publish(const Fact& fact) override;

  // Facts published through this transaction (the store wakes the relay after commit).
  int published() const { return published_; }

 private:
  soci::session& session_;
  const Clock& clock_;
  int published_ = 0;
};

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_SQL_TX_H_
