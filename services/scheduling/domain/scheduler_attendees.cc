// Registrations, the waiting list and check-in.

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/domain/page_token.h"
#include "services/scheduling/domain/scheduler.h"
#include "services/scheduling/domain/scheduler_internal.h"

namespace etnik::scheduling {

using internal::CheckEtag;
using internal::RequestKey;

namespace {

bool LooksLikeEmail(absl::string_view email) {
  const size_t at = email.find('@');
  return at != absl::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find_first_of(" \t\r\n,;<>") == absl::string_view::npos && email.size() <= 254;
}

// The seat counter of a session.
std::string SeatKey(const Session& s) { return s.name(); }

absl::StatusOr<std::optional<Attendee>> ReplayAttendee(SchedulingTx& tx, const std::string& key) {
  absl::StatusOr<std::optional<std::string>> done = tx.FindRequest(key);
  if (!done.ok()) return done.status();
  if (!done->has_value()) return std::optional<Attendee>();
  std::optional<AttendeeRef> ref = ParseAttendeeName(**done);
  if (!ref.has_value()) return absl::InternalError("recorded request names no attendee");
  absl::StatusOr<std::optional<Attendee>> a = tx.GetAttendee(*ref);
  if (!a.ok()) return a.status();
  if (!a->has_value()) return NotFound("attendee", **done);
  return a;
}

absl::StatusOr<Session> MustGetSession(SchedulingTx& tx, const SessionRef& ref) {
  absl::StatusOr<std::optional<Session>> s = tx.GetSession(ref);
  if (!s.ok()) return s.status();
  if (!s->has_value()) return NotFound("session", ref.name());
  return **s;
}

// The waiting-list place of an attendee, filled in for output.
absl::Status FillPosition(SchedulingTx& tx, Attendee& a) {
  a.waitlist_position = 0;
  if (a.state != AttendeeState::kWaitlisted) return absl::OkStatus();
  absl::StatusOr<int32_t> position = tx.WaitlistPosition(a);
  if (!position.ok()) return position.status();
  a.waitlist_position = *position;
  return absl::OkStatus();
}

// True when the caller hosts the session (an expert whose account is a host's).
absl::StatusOr<bool> IsHost(SchedulingTx& tx, const Actor& actor, const Session& session) {
  if (actor.anonymous || actor.subject.empty()) return false;
  for (const std::string& host : session.hosts) {
    absl::StatusOr<std::optional<ExpertProfile>> expert = tx.GetExpert(host);
    if (!expert.ok()) return expert.status();
    if (expert->has_value() && (*expert)->subject == actor.subject) return true;
  }
  return false;
}

}  // namespace

absl::Status Scheduler::PromoteWaiting(SchedulingTx& tx, const Actor& actor, Session& session,
                                       const SessionContext& context) {
  while (session.waitlisted_count > 0 &&
         (session.capacity == 0 || session.registered_count < session.capacity)) {
    absl::StatusOr<std::vector<Attendee>> first = tx.FirstWaiting({session.event_id, session.id}, 1);
    if (!first.ok()) return first.status();
    if (first->empty()) break;
    if (session.capacity > 0) {
      absl::StatusOr<bool> seat = tx.TryTakeSeat(SeatKey(session), session.capacity);
      if (!seat.ok()) return seat.status();
      if (!*seat) break;
    }
    Attendee a = first->front();
    a.state = AttendeeState::kRegistered;
    a.promote_time = clock_.Now();
    a.version++;
    if (absl::Status s = tx.UpdateAttendee(a); !s.ok()) return s;
    session.registered_count++;
    session.waitlisted_count--;
    Fact fact = NewFact(FactType::kAttendeePromoted, actor, session, context);
    fact.aggregate = a.name();
    fact.aggregate_version = a.version;
    fact.attendee = a;
    if (absl::Status s = tx.Publish(fact); !s.ok()) return s;
  }
  return tx.UpdateSessionCounters(session);
}

absl::StatusOr<Attendee> Scheduler::RegisterAttendee(const Actor& actor, RegisterCommand command) {
  if (absl::Status s = internal::ValidateRequestId(command.request_id); !s.ok()) return s;
  Attendee& in = command.attendee;
  std::vector<FieldViolation> v;
  if (in.full_name.empty()) v.push_back({"attendee.full_name", "required"});
  if (!LooksLikeEmail(in.email)) v.push_back({"attendee.email", "must be an e-mail address"});
  if (!in.participant.empty() && !IsParticipantName(in.participant)) {
    v.push_back({"attendee.participant", "must be programmes/{programme}/participants/{participant}"});
  }
  absl::TimeZone zone;
  if (!in.time_zone.empty() && !absl::LoadTimeZone(in.time_zone, &zone)) {
    v.push_back({"attendee.time_zone", "must be an IANA time zone"});
  }
  if (!v.empty()) return InvalidArgumentError("invalid attendee", std::move(v));
  const std::string attendee_id = NewId();
  Attendee result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    const std::string key = RequestKey("RegisterAttendee", actor, command.request_id);
    if (!command.request_id.empty()) {
      absl::StatusOr<std::optional<Attendee>> replay = ReplayAttendee(tx, key);
      if (!replay.ok()) return replay.status();
      if (replay->has_value()) {
        result = **replay;
        return FillPosition(tx, result);
      }
    }
    absl::StatusOr<Session> session = MustGetSession(tx, command.ref);
    if (!session.ok()) return session.status();
    Session& s = *session;
    absl::StatusOr<std::optional<Event>> event = tx.GetEvent(s.event_id);
    if (!event.ok()) return event.status();
    if (!event->has_value()) return NotFound("event", absl::StrCat("events/", s.event_id));
    // Who may register whom: staff anyone; a signed-in participant themself; anyone with an
    // e-mail for events open to the public.
    if (!actor.staff()) {
      if (!(*event)->open_registration) {
        if (!actor.participant || in.participant.empty() ||
            ProgrammeOf(in.participant) != s.programme) {
          return actor.anonymous || actor.participant
                     ? Denied(actor, absl::StrCat("register for ", s.name(),
                                                  " (open to the programme's participants)"))
                     : Denied(actor, absl::StrCat("register for ", s.name()));
        }
      } else if (actor.anonymous && !in.participant.empty()) {
        return Denied(actor, "register as a participant");
      }
    }
    Attendee a = in;
    a.session = command.ref;
    a.id = attendee_id;
    a.subject = actor.anonymous ? "" : actor.subject;
    if (s.state != SessionState::kScheduled || clock_.Now() >= s.end) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat(s.name(), " takes no more registrations"),
                           kReasonRegistrationClosed, {{"resource", s.name()}});
    }
    absl::StatusOr<std::optional<Attendee>> live = tx.FindLiveAttendee(command.ref, a.email, a.participant);
    if (!live.ok()) return live.status();
    if (live->has_value()) {
      return ErrorWithInfo(absl::StatusCode::kAlreadyExists,
                           absl::StrCat("already registered for ", s.name(), " as ", (*live)->name()),
                           kReasonAlreadyRegistered, {{"attendee", (*live)->name()}});
    }
    bool seated = true;
    if (s.capacity > 0) {
      // Nobody jumps the queue: while people wait, a newcomer waits too.
      if (s.waitlisted_count > 0) {
        seated = false;
      } else {
        absl::StatusOr<bool> seat = tx.TryTakeSeat(SeatKey(s), s.capacity);
        if (!seat.ok()) return seat.status();
        seated = *seat;
      }
    }
    a.state = seated ? AttendeeState::kRegistered : AttendeeState::kWaitlisted;
    a.seq = ++s.attendee_seq;
    a.register_time = clock_.Now();
    a.promote_time.reset();
    a.cancel_time.reset();
    a.check_in_time.reset();
    a.version = 1;
    (seated ? s.registered_count : s.waitlisted_count)++;
    // The session row first: a concurrent registration then fails on it as a retryable
    // transaction conflict, not on the attendees' order index as a false ALREADY_EXISTS.
    if (absl::Status w = tx.UpdateSessionCounters(s); !w.ok()) return w;
    if (absl::Status w = tx.InsertAttendee(a); !w.ok()) return w;
    if (absl::Status p = FillPosition(tx, a); !p.ok()) return p;
    absl::StatusOr<SessionContext> context = LoadContext(tx, s, &**event);
    if (!context.ok()) return context.status();
    Fact fact = NewFact(FactType::kAttendeeRegistered, actor, s, *std::move(context));
    fact.aggregate = a.name();
    fact.aggregate_version = a.version;
    fact.attendee = a;
    fact.waitlisted = !seated;
    if (absl::Status p = tx.Publish(fact); !p.ok()) return p;
    if (!command.request_id.empty()) {
      if (absl::Status r = tx.RecordRequest(key, a.name()); !r.ok()) return r;
    }
    result = a;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Attendee> Scheduler::CancelRegistration(const Actor& actor,
                                                       const CancelRegistrationCommand& command) {
  if (absl::Status s = internal::ValidateRequestId(command.request_id); !s.ok()) return s;
  Attendee result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Attendee>> cur = tx.GetAttendee(command.ref);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("attendee", command.ref.name());
    Attendee a = **cur;
    absl::StatusOr<Session> session = MustGetSession(tx, a.session);
    if (!session.ok()) return session.status();
    Session& s = *session;
    const bool own = !actor.anonymous && !a.subject.empty() && a.subject == actor.subject;
    if (!own && !actor.CanManageHub(s.hub)) {
      return Denied(actor, absl::StrCat("cancel ", a.name()));
    }
    if (a.state == AttendeeState::kCancelled) {
      result = a;
      return absl::OkStatus();
    }
    if (absl::Status e = CheckEtag(a.name(), command.etag, a.version); !e.ok()) return e;
    const bool was_seated = a.state == AttendeeState::kRegistered;
    a.state = AttendeeState::kCancelled;
    a.cancel_time = clock_.Now();
    a.version++;
    if (absl::Status w = tx.UpdateAttendee(a); !w.ok()) return w;
    if (was_seated) {
      s.registered_count--;
      if (s.capacity > 0) {
        if (absl::Status r = tx.ReturnSeat(SeatKey(s)); !r.ok()) return r;
      }
    } else {
      s.waitlisted_count--;
    }
    absl::StatusOr<SessionContext> context = LoadContext(tx, s, nullptr);
    if (!context.ok()) return context.status();
    Fact fact = NewFact(FactType::kAttendeeCancelled, actor, s, *context);
    fact.aggregate = a.name();
    fact.aggregate_version = a.version;
    fact.attendee = a;
    fact.waitlisted = !was_seated;
    if (absl::Status p = tx.Publish(fact); !p.ok()) return p;
    // The freed seat goes to the first person waiting, in the same transaction.
    if (s.state == SessionState::kScheduled) {
      if (absl::Status p = PromoteWaiting(tx, actor, s, *context); !p.ok()) return p;
    } else if (absl::Status w = tx.UpdateSessionCounters(s); !w.ok()) {
      return w;
    }
    result = a;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Attendee> Scheduler::CheckIn(const Actor& actor, const CheckInCommand& command) {
  if (absl::Status s = internal::ValidateRequestId(command.request_id); !s.ok()) return s;
  Attendee result;
  absl::Status status = store_.Run(TxKind::kWrite, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<Attendee>> cur = tx.GetAttendee(command.ref);
    if (!cur.ok()) return cur.status();
    if (!cur->has_value()) return NotFound("attendee", command.ref.name());
    Attendee a = **cur;
    absl::StatusOr<Session> session = MustGetSession(tx, a.session);
    if (!session.ok()) return session.status();
    Session& s = *session;
    if (!actor.CanManageHub(s.hub)) {
      absl::StatusOr<bool> host = IsHost(tx, actor, s);
      if (!host.ok()) return host.status();
      if (!*host) return Denied(actor, absl::StrCat("check in attendees of ", s.name()));
    }
    if (a.check_in_time.has_value()) {
      result = a;
      return absl::OkStatus();
    }
    if (a.state != AttendeeState::kRegistered) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat(a.name(), " holds no seat"), kReasonNotRegistered,
                           {{"attendee", a.name()}});
    }
    if (s.state == SessionState::kCancelled) return absl::FailedPreconditionError("session cancelled");
    a.check_in_time = clock_.Now();
    a.version++;
    if (absl::Status w = tx.UpdateAttendee(a); !w.ok()) return w;
    s.checked_in_count++;
    if (absl::Status w = tx.UpdateSessionCounters(s); !w.ok()) return w;
    absl::StatusOr<SessionContext> context = LoadContext(tx, s, nullptr);
    if (!context.ok()) return context.status();
    Fact fact = NewFact(FactType::kAttendeeCheckedIn, actor, s, *std::move(context));
    fact.aggregate = a.name();
    fact.aggregate_version = a.version;
    fact.attendee = a;
    if (absl::Status p = tx.Publish(fact); !p.ok()) return p;
    result = a;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Page<Attendee>> Scheduler::ListAttendees(const Actor& actor,
                                                        const ListAttendeesCommand& command) {
  if (actor.anonymous) return Denied(actor, "list attendees");
  const int limit = PageSize(command.page_size);
  AttendeeQuery query;
  query.session = command.session;
  query.participant = command.participant;
  query.email = command.email;
  query.states = command.states;
  std::vector<std::string> states;
  for (AttendeeState s : command.states) states.push_back(absl::StrCat(static_cast<int>(s)));
  const std::string filters = absl::StrJoin(
      {command.session ? command.session->name() : std::string("-"), command.participant,
       command.email, absl::StrJoin(states, ","), actor.subject},
      "|");
  if (!command.page_token.empty()) {
    absl::StatusOr<std::vector<std::string>> pos = DecodePageToken(command.page_token, filters, 2);
    if (!pos.ok()) return pos.status();
    query.after_session = (*pos)[0];
    if (!absl::SimpleAtoi((*pos)[1], &query.after_seq)) {
      return InvalidArgumentError("invalid page token", {{"page_token", "malformed"}});
    }
  }
  query.limit = limit + 1;
  Page<Attendee> page;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    AttendeeQuery q = query;
    bool see_all = actor.staff();
    if (!see_all && q.session.has_value()) {
      absl::StatusOr<Session> s = MustGetSession(tx, *q.session);
      if (!s.ok()) return s.status();
      see_all = actor.CanManageHub(s->hub);
      if (!see_all) {
        absl::StatusOr<bool> host = IsHost(tx, actor, *s);
        if (!host.ok()) return host.status();
        see_all = *host;
      }
    }
    // Everyone else sees only the registrations they made themselves.
    if (!see_all) q.subject = actor.subject;
    absl::StatusOr<std::vector<Attendee>> rows = tx.ListAttendees(q);
    if (!rows.ok()) return rows.status();
    page.items = *std::move(rows);
    for (Attendee& a : page.items) {
      if (absl::Status p = FillPosition(tx, a); !p.ok()) return p;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    const Attendee& last = page.items.back();
    page.next_page_token =
        EncodePageToken(filters, {last.session.name(), absl::StrCat(last.seq)});
  }
  return page;
}

absl::StatusOr<AttendanceReport> Scheduler::GetAttendance(const Actor& actor,
                                                          absl::string_view programme,
                                                          absl::string_view participant) {
  if (actor.anonymous) return Denied(actor, "read attendance");
  std::vector<FieldViolation> v;
  if (!IsProgrammeName(programme)) v.push_back({"programme", "must be programmes/{programme}"});
  if (!IsParticipantName(participant) || ProgrammeOf(participant) != programme) {
    v.push_back({"participant", "must be a participant of the programme"});
  }
  if (!v.empty()) return InvalidArgumentError("invalid attendance request", std::move(v));
  AttendanceReport report;
  report.programme = std::string(programme);
  report.participant = std::string(participant);
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<AttendanceRow>> rows = tx.ListAttendance(programme, participant);
    if (!rows.ok()) return rows.status();
    report.rows.clear();
    for (AttendanceRow& row : *rows) {
      // Staff and hub leads see everyone's; a participant only the registrations they made.
      if (!actor.staff() && !actor.hub_lead && row.attendee.subject != actor.subject) continue;
      report.rows.push_back(std::move(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  for (const AttendanceRow& row : report.rows) {
    if (row.attendee.state == AttendeeState::kRegistered &&
        row.session.state != SessionState::kCancelled) {
      report.registered_sessions++;
    }
    if (row.attendee.check_in_time.has_value()) report.attended_sessions++;
  }
  return report;
}

}  // namespace etnik::scheduling
