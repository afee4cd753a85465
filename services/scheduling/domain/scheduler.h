#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_SCHEDULER_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_SCHEDULER_H_

// The scheduling use cases. Each write runs in one SchedulingStore transaction that reads what
// its rules need, claims experts and rooms in the reservation table (which refuses overlaps
// whatever the concurrency), writes rows and the outbox facts, and records the request id so a
// retry returns the first answer.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "services/scheduling/domain/actor.h"
#include "services/scheduling/domain/attendee.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/domain/event.h"
#include "services/scheduling/domain/icalendar.h"
#include "services/scheduling/domain/ports.h"
#include "services/scheduling/domain/session.h"
#include "services/scheduling/domain/venue.h"

namespace etnik::scheduling {

struct SchedulerOptions {
  BookingPolicy policy;
  int default_page_size = 50;
  int max_page_size = 1000;
  std::string uid_domain = "etnik";  // iCalendar UID domain
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

struct BookSessionCommand {
  std::string event_id;
  Session session;  // start, end, time_zone, hosts / place, ...; ids and output fields ignored
  std::string session_id;  // empty: the server picks one
  std::string request_id;
};

struct RescheduleCommand {
  SessionRef ref;
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfinitePast();
  std::string time_zone;  // empty: keep
  std::string room;       // empty: keep
  std::string etag;
  std::string request_id;
};

struct CancelSessionCommand {
  SessionRef ref;
  std::string reason;
  std::string etag;
  std::string request_id;
};

struct MarkHeldCommand {
  SessionRef ref;
  std::string etag;
  std::string request_id;
};

// Field paths UpdateSession accepts.
inline constexpr absl::string_view kSessionUpdatableFields[] = {
    "title", "description", "capacity", "online_room", "track"};

struct UpdateSessionCommand {
  SessionRef ref;
  Session values;
  std::set<std::string> fields;  // empty: every updatable field
  std::string etag;
};

struct ListSessionsCommand {
  SessionQuery query;  // filters only; after/limit come from the page fields
  int page_size = 0;
  std::string page_token;
};

struct SuggestSlotsCommand {
  std::string event_id;
  std::vector<std::string> hosts;
  std::string room;
  absl::Duration duration;
  Interval range;
  std::string time_zone;
  int max_results = 0;
  absl::Duration granularity;  // zero: 15 minutes
};

struct RegisterCommand {
  SessionRef ref;
  Attendee attendee;  // participant, or full_name + email; time_zone, language
  std::string request_id;
};

struct CancelRegistrationCommand {
  AttendeeRef ref;
  std::string etag;
  std::string request_id;
};

struct CheckInCommand {
  AttendeeRef ref;
  std::string request_id;
};

struct ListAttendeesCommand {
  std::optional<SessionRef> session;  // empty: across sessions
  std::string participant;
  std::string email;
  std::vector<AttendeeState> states;
  int page_size = 0;
  std::string page_token;
};

struct TargetProgressRow {
  std::string stage;
  int32_t metric = 0;
  int32_t target = 0;
  int32_t actual = 0;
};

struct StateCounts {
  int32_t scheduled = 0;
  int32_t held = 0;
  int32_t cancelled = 0;
  int32_t attendance = 0;
};

struct ProgressReport {
  std::string programme;
  std::vector<TargetProgressRow> targets;
  std::vector<std::pair<EventKind, StateCounts>> kinds;  // every kind, in enum order
  std::vector<std::pair<std::string, StateCounts>> hubs;  // hubs with sessions, by name
  int32_t attendance = 0;
  absl::Time compute_time;
};

struct AttendanceReport {
  std::string participant;
  std::string programme;
  int32_t registered_sessions = 0;
  int32_t attended_sessions = 0;
  std::vector<AttendanceRow> rows;
};

enum class FeedScope { kProgramme, kHub, kParticipant, kExpert };

struct FeedCommand {
  FeedScope scope = FeedScope::kProgramme;
  std::string value;  // the programme, hub, participant or expert name
  Language language = Language::kRu;
};

struct CalendarFeed {
  std::string body;
  std::string filename;
  std::string etag;
  absl::Time update_time = absl::UnixEpoch();
};

class Scheduler {
 public:
  Scheduler(SchedulingStore& store, const Clock& clock, SchedulerOptions options = {});

  const SchedulerOptions& options() const { return options_; }

  // Venues.
  absl::StatusOr<Venue> CreateVenue(const Actor& actor, Venue venue, std::string venue_id,
                                    std::string request_id);
  absl::StatusOr<Venue> GetVenue(absl::string_view venue_id);
  absl::StatusOr<Page<Venue>> ListVenues(int page_size, absl::string_view page_token);
  // `fields` empty: every writable field. `etag` empty: no check.
  absl::StatusOr<Venue> UpdateVenue(const Actor& actor, const Venue& venue,
                                    const std::set<std::string>& fields, absl::string_view etag);

  // Events.
  absl::StatusOr<Event> CreateEvent(const Actor& actor, Event event, std::string event_id,
                                    std::string request_id);
  absl::StatusOr<Event> GetEvent(absl::string_view event_id);
  absl::StatusOr<Page<Event>> ListEvents(EventQuery query, int page_size,
                                         absl::string_view page_token);
  absl::StatusOr<Event> UpdateEvent(const Actor& actor, const Event& event,
                                    const std::set<std::string>& fields, absl::string_view etag);
  absl::Status DeleteEvent(const Actor& actor, absl::string_view event_id, absl::string_view etag);

  // Sessions.
  absl::StatusOr<Session> BookSession(const Actor& actor, BookSessionCommand command);
  absl::StatusOr<Session> GetSession(const SessionRef& ref);
  absl::StatusOr<Page<Session>> ListSessions(const ListSessionsCommand& command);
  absl::StatusOr<Session> UpdateSession(const Actor& actor, const UpdateSessionCommand& command);
  absl::StatusOr<Session> RescheduleSession(const Actor& actor, const RescheduleCommand& command);
  absl::StatusOr<Session> CancelSession(const Actor& actor, const CancelSessionCommand& command);
  absl::StatusOr<Session> MarkSessionHeld(const Actor& actor, const MarkHeldCommand& command);
  absl::StatusOr<std::vector<Interval>> SuggestSlots(const Actor& actor,
                                                     const SuggestSlotsCommand& command);
  // True when the caller may see the session's online access code: staff, the hub's leads,
  // its hosts, and people holding a seat.
  absl::StatusOr<bool> MaySeeAccessCode(const Actor& actor, const Session& session);

  // Attendees.
  absl::StatusOr<Attendee> RegisterAttendee(const Actor& actor, RegisterCommand command);
  absl::StatusOr<Attendee> CancelRegistration(const Actor& actor,
                                              const CancelRegistrationCommand& command);
  absl::StatusOr<Attendee> CheckIn(const Actor& actor, const CheckInCommand& command);
  absl::StatusOr<Page<Attendee>> ListAttendees(const Actor& actor,
                                               const ListAttendeesCommand& command);
  absl::StatusOr<AttendanceReport> GetAttendance(const Actor& actor, absl::string_view programme,
                                                 absl::string_view participant);

  // Reports and calendars.
  absl::StatusOr<ProgressReport> GetProgrammeProgress(const Actor& actor,
                                                      absl::string_view programme);
  absl::StatusOr<CalendarFeed> GetCalendarFeed(const Actor& actor, const FeedCommand& command);
  // Whether a feed may be cached for everyone (it depends on nobody's identity).
  static bool FeedIsPublic(FeedScope scope) { return scope != FeedScope::kParticipant; }

  // Read models, fed by the consumers of the hubs and registration services' events (and by
  // tests). Validated, then stored as given.
  absl::Status ApplyStage(const StageWindow& stage);
  absl::Status ApplyExpert(const ExpertProfile& expert);
  absl::Status ApplyHub(const HubInfo& hub);

 private:
  // Claims, checks and writes of a booking or a move; `previous` is the session's current
  // state for a move (its own reservations are released first).
  absl::Status PlaceSession(SchedulingTx& tx, const Event& event, Session& session,
                            const Session* previous);
  absl::StatusOr<SessionContext> LoadContext(SchedulingTx& tx, const Session& session,
                                             const Event* event);
  Fact NewFact(FactType type, const Actor& actor, const Session& session, SessionContext context);
  absl::Status PromoteWaiting(SchedulingTx& tx, const Actor& actor, Session& session,
                              const SessionContext& context);
  int PageSize(int requested) const;

  SchedulingStore& store_;
  const Clock& clock_;
  const SchedulerOptions options_;
};

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_SCHEDULER_H_
