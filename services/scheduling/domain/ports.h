#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_PORTS_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_PORTS_H_

// What the scheduling use cases need from storage. One SchedulingTx is one database transaction:
// everything a use case reads and writes through it (rows, reservations, seat counters, outbox
// facts) commits or rolls back together. The store adapter (store/) implements it over SQL.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/attendee.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/domain_events.h"
#include "services/scheduling/domain/event.h"
#include "services/scheduling/domain/read_models.h"
#include "services/scheduling/domain/session.h"
#include "services/scheduling/domain/venue.h"

namespace etnik::scheduling {

// Keyset position of a listing: the last row of the previous page.
struct SessionCursor {
  absl::Time start;
  std::string name;
};

struct SessionQuery {
  std::string event_id;  // empty: every event
  std::string programme;
  std::string hub;
  std::string host;  // experts/{expert}
  std::string room;
  EventKind kind = EventKind::kUnspecified;
  std::vector<SessionState> states;  // empty: all
  std::optional<absl::Time> ends_after;
  std::optional<absl::Time> starts_before;
  // Sessions this participant holds a registration in (seated or waiting); with
  // `registered_by`, only registrations made by that account.
  std::string participant;
  std::string registered_by;
  std::optional<SessionCursor> after;
  int limit = 50;  // rows returned at most
};

struct EventQuery {
  std::string programme;
  std::string hub;
  std::string stage;
  EventKind kind = EventKind::kUnspecified;
  std::string after_id;  // ordered by id
  int limit = 50;
};

struct AttendeeQuery {
  std::optional<SessionRef> session;  // empty: across sessions
  std::string participant;
  std::string email;
  std::string subject;  // only registrations made by this account
  std::vector<AttendeeState> states;
  // Keyset: (session name, seq) of the last row; ordered by session name then seq.
  std::string after_session;
  int64_t after_seq = 0;
  int limit = 50;
};

// A busy range of an expert or room, as reserved (experts' ranges include the buffer).
struct BusyRange {
  Interval range;
  std::string holder;  // the session name
};

// Session counts of one (kind, hub, state) group of a programme, with their check-ins.
struct SessionTally {
  EventKind kind = EventKind::kUnspecified;
  std::string stage;
  std::string hub;
  SessionState state = SessionState::kUnspecified;
  int32_t sessions = 0;
  int32_t check_ins = 0;
};

// One registration of a participant with its session.
struct AttendanceRow {
  Attendee attendee;
  Session session;
};

class SchedulingTx {
 public:
  virtual ~SchedulingTx() = default;

  // Idempotency: the resource a request key produced, if it ran before.
  virtual absl::StatusOr<std::optional<std::string>> FindRequest(absl::string_view key) = 0;
  virtual absl::Status RecordRequest(absl::string_view key, absl::string_view resource) = 0;

  // Venues.
  virtual absl::StatusOr<std::optional<Venue>> GetVenue(absl::string_view id) = 0;
  virtual absl::Status InsertVenue(const Venue& venue) = 0;
  virtual absl::Status UpdateVenue(const Venue& venue) = 0;  // replaces rooms too
  virtual absl::StatusOr<std::vector<Venue>> ListVenues(absl::string_view after_id, int limit) = 0;

  // Events (session_count is left 0; CountSessionsOfEvent gives it).
  virtual absl::StatusOr<std::optional<Event>> GetEvent(absl::string_view id) = 0;
  virtual absl::Status InsertEvent(const Event& event) = 0;
  virtual absl::Status UpdateEvent(const Event& event) = 0;
  virtual absl::Status DeleteEvent(absl::string_view id) = 0;
  virtual absl::StatusOr<std::vector<Event>> ListEvents(const EventQuery& query) = 0;
  // Sessions of the event: all, or only those not cancelled.
  virtual absl::StatusOr<int64_t> CountSessionsOfEvent(absl::string_view event_id, bool live_only) = 0;

  // Sessions.
  virtual absl::StatusOr<std::optional<Session>> GetSession(const SessionRef& ref) = 0;
  virtual absl::Status InsertSession(const Session& session) = 0;
  // Writes every field (hosts included) of an existing session.
  virtual absl::Status UpdateSession(const Session& session) = 0;
  // Writes only the attendee counters and attendee_seq (registrations do not change the etag).
  virtual absl::Status UpdateSessionCounters(const Session& session) = 0;
  virtual absl::StatusOr<std::vector<Session>> ListSessions(const SessionQuery& query) = 0;
  // Sessions (not cancelled) hosted by `expert` starting in `range`, except `exclude` (a name).
  virtual absl::StatusOr<int64_t> CountHostedSessions(absl::string_view expert,
                                                      const Interval& range,
                                                      absl::string_view exclude) = 0;

  // Race-free claims on experts and rooms: no two overlapping ranges of one resource.
  // FAILED_PRECONDITION with ErrorInfo RESOURCE_CONFLICT (metadata holder) on overlap.
  virtual absl::Status Reserve(absl::string_view resource, const Interval& range,
                               absl::string_view holder) = 0;
  virtual absl::Status ReleaseAll(absl::string_view holder) = 0;
  virtual absl::StatusOr<std::vector<BusyRange>> ListBusy(absl::string_view resource,
                                                          const Interval& range) = 0;

  // Seats: takes one of `capacity` seats of `key`; false when none is left.
  virtual absl::StatusOr<bool> TryTakeSeat(absl::string_view key, int64_t capacity) = 0;
  virtual absl::Status ReturnSeat(absl::string_view key) = 0;

  // Attendees.
  virtual absl::StatusOr<std::optional<Attendee>> GetAttendee(const AttendeeRef& ref) = 0;
  // The live (seated or waiting) registration of `email` or `participant` in the session.
  virtual absl::StatusOr<std::optional<Attendee>> FindLiveAttendee(const SessionRef& session,
                                                                   absl::string_view email,
                                                                   absl::string_view participant) = 0;
  virtual absl::Status InsertAttendee(const Attendee& attendee) = 0;
  virtual absl::Status UpdateAttendee(const Attendee& attendee) = 0;
  // The first `limit` waiting attendees in registration order.
  virtual absl::StatusOr<std::vector<Attendee>> FirstWaiting(const SessionRef& session, int limit) = 0;
  // 1-based place of a waiting attendee (waiting attendees registered before it, plus one).
  virtual absl::StatusOr<int32_t> WaitlistPosition(const Attendee& attendee) = 0;
  virtual absl::StatusOr<std::vector<Attendee>> ListAttendees(const AttendeeQuery& query) = 0;
  virtual absl::StatusOr<std::vector<AttendanceRow>> ListAttendance(absl::string_view programme,
                                                                    absl::string_view participant) = 0;

  // Reports.
  virtual absl::StatusOr<std::vector<SessionTally>> TallySessions(absl::string_view programme) = 0;

  // Read models fed by other services' events.
  virtual absl::StatusOr<std::optional<StageWindow>> GetStage(absl::string_view stage) = 0;
  virtual absl::StatusOr<std::vector<StageWindow>> ListStages(absl::string_view programme) = 0;
  virtual absl::Status PutStage(const StageWindow& stage) = 0;
  virtual absl::StatusOr<std::optional<ExpertProfile>> GetExpert(absl::string_view expert) = 0;
  virtual absl::Status PutExpert(const ExpertProfile& expert) = 0;
  virtual absl::StatusOr<std::optional<HubInfo>> GetHub(absl::string_view hub) = 0;
  virtual absl::Status PutHub(const HubInfo& hub) = 0;

  // Domain events, written with the change they describe.
  virtual absl::Status Publish(const Fact& fact) = 0;
};

enum class TxKind {
  kRead,   // one consistent snapshot
  kWrite,  // read-check-write logic inside is race-free (serializable / single writer)
};

class SchedulingStore {
 public:
  virtual ~SchedulingStore() = default;
  // Runs `work` in one transaction; it may run more than once (retries), so it must not keep
  // state from an earlier attempt. A non-OK return rolls back.
  virtual absl::Status Run(TxKind kind, const std::function<absl::Status(SchedulingTx&)>& work) = 0;
};

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_PORTS_H_
