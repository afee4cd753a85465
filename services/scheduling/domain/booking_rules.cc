#include "services/scheduling/domain/booking_rules.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/errors.h"

namespace etnik::scheduling {
namespace {

bool IsHttpUri(absl::string_view uri) {
  return (absl::StartsWith(uri, "https://") || absl::StartsWith(uri, "http://")) &&
         uri.size() > 8 && uri.find_first_of(" \t\r\n") == absl::string_view::npos;
}

constexpr size_t kMaxHosts = 10;

}  // namespace

std::vector<Claim> ClaimsFor(const Session& session, const BookingPolicy& policy) {
  std::vector<Claim> claims;
  for (const std::string& host : session.hosts) {
    claims.push_back({host, {session.start, session.end + policy.expert_buffer}});
  }
  if (!session.room.empty()) claims.push_back({session.room, {session.start, session.end}});
  return claims;
}

absl::Status ValidateSessionFields(const Session& session, const Event& event, const Venue* venue,
                                   absl::string_view prefix) {
  std::vector<FieldViolation> v;
  auto field = [&](absl::string_view f) {
    return prefix.empty() ? std::string(f) : absl::StrCat(prefix, ".", f);
  };
  const bool has_start = session.start != absl::InfinitePast();
  const bool has_end = session.end != absl::InfinitePast();
  if (!has_start) v.push_back({field("start_time"), "required"});
  if (!has_end) v.push_back({field("end_time"), "required"});
  if (has_start && has_end) {
    if (!(session.start < session.end)) {
      v.push_back({field("end_time"), "must be after start_time"});
    } else if (session.end - session.start > kMaxSessionLength) {
      v.push_back({field("end_time"), "a session lasts at most 24 hours; book each day on its own"});
    }
  }
  absl::TimeZone zone;
  if (session.time_zone.empty() || !absl::LoadTimeZone(session.time_zone, &zone)) {
    v.push_back({field("time_zone"), "must be an IANA time zone, for example Europe/Moscow"});
  }
  std::set<std::string> hosts;
  if (session.hosts.size() > kMaxHosts) v.push_back({field("hosts"), "at most 10 hosts"});
  for (size_t i = 0; i < session.hosts.size(); ++i) {
    const std::string at = field(absl::StrCat("hosts[", i, "]"));
    if (!IsExpertName(session.hosts[i])) {
      v.push_back({at, "must be experts/{expert}"});
    } else if (!hosts.insert(session.hosts[i]).second) {
      v.push_back({at, "is listed twice"});
    }
  }
  if (!session.hub.empty() && !IsHubName(session.hub)) {
    v.push_back({field("hub"), "must be hubs/{hub}"});
  } else if (!event.hub.empty() && !session.hub.empty() && session.hub != event.hub) {
    v.push_back({field("hub"), absl::StrCat("sessions of ", event.name(), " belong to ", event.hub)});
  }
  const bool online = !session.online_room.empty();
  if (!session.room.empty() && online) {
    v.push_back({field("room"), "give a room or an online room, not both"});
  }
  if (session.hosts.empty() && session.room.empty() && !online) {
    v.push_back({field("hosts"), "give the hosts or a place (room or online room)"});
  }
  if (online && !IsHttpUri(session.online_room.join_uri)) {
    v.push_back({field("online_room.join_uri"), "must be an absolute http(s) URI"});
  }
  if (!session.room.empty()) {
    std::optional<RoomRef> ref = ParseRoomName(session.room);
    if (!ref.has_value()) {
      v.push_back({field("room"), "must be venues/{venue}/rooms/{room_id}"});
    } else if (!event.venue.empty() && event.venue != absl::StrCat("venues/", ref->venue_id)) {
      v.push_back({field("room"), absl::StrCat("must be a room of the event's venue ", event.venue)});
    } else if (venue == nullptr || venue->FindRoom(ref->room_id) == nullptr) {
      v.push_back({field("room"), "no such room"});
    } else {
      const Room* room = venue->FindRoom(ref->room_id);
      if (room->capacity > 0 && session.capacity > room->capacity) {
        v.push_back({field("capacity"),
                     absl::StrCat("the room seats ", room->capacity, " at most")});
      }
    }
  }
  if (session.capacity < 0) v.push_back({field("capacity"), "must not be negative"});
  if (!session.track.empty() && event.FindTrack(session.track) == nullptr) {
    v.push_back({field("track"), absl::StrCat("no track '", session.track, "' in ", event.name())});
  }
  switch (event.kind) {
    case EventKind::kSeminar:
      if (session.room.empty()) v.push_back({field("room"), "a seminar session needs a room"});
      break;
    case EventKind::kWebinar:
      if (!online) v.push_back({field("online_room"), "a webinar needs an online room"});
      break;
    case EventKind::kConference:
      if (session.room.empty() && !online) {
        v.push_back({field("room"), "a conference session needs a room (or its track's room)"});
      }
      break;
    default:
      break;
  }
  if (!v.empty()) return InvalidArgumentError("invalid session", std::move(v));
  return absl::OkStatus();
}

absl::Status CheckStageWindow(const Interval& session, const StageWindow& stage) {
  if (!stage.removed && stage.window.Contains(session)) return absl::OkStatus();
  return ErrorWithInfo(
      absl::StatusCode::kFailedPrecondition,
      stage.removed
          ? absl::StrCat("stage ", stage.stage, " was removed")
          : absl::StrCat("the session [", Rfc3339Utc(session.start), ", ", Rfc3339Utc(session.end),
                         ") leaves the window of ", stage.stage, " [", Rfc3339Utc(stage.window.start),
                         ", ", Rfc3339Utc(stage.window.end), ")"),
      kReasonOutsideStageWindow,
      {{"stage", stage.stage},
       {"windowStartTime", Rfc3339Utc(stage.window.start)},
       {"windowEndTime", Rfc3339Utc(stage.window.end)}});
}

absl::Status CheckAvailable(const ExpertProfile& expert, const Interval& range) {
  absl::StatusOr<bool> ok = IsAvailable(expert, range);
  if (!ok.ok()) return ok.status();
  if (*ok) return absl::OkStatus();
  absl::TimeZone zone;
  absl::LoadTimeZone(expert.time_zone, &zone);
  return ErrorWithInfo(
      absl::StatusCode::kFailedPrecondition,
      absl::StrCat(expert.expert, " is not available from ",
                   absl::FormatTime("%Y-%m-%d %H:%M", range.start, zone), " to ",
                   absl::FormatTime("%Y-%m-%d %H:%M", range.end, zone), " (", expert.time_zone, ")"),
      kReasonExpertUnavailable,
      {{"expert", expert.expert},
       {"expertTimeZone", expert.time_zone},
       {"startTime", Rfc3339Utc(range.start)},
       {"endTime", Rfc3339Utc(range.end)}});
}

int32_t WeeklyLimitOf(const ExpertProfile& expert, const BookingPolicy& policy) {
  return expert.weekly_session_limit > 0 ? expert.weekly_session_limit : policy.weekly_limit;
}

Interval LimitWeek(const ExpertProfile& expert, absl::Time start) {
  absl::TimeZone zone = absl::UTCTimeZone();
  absl::LoadTimeZone(expert.time_zone, &zone);
  return WeekOf(start, zone);
}

absl::Status WeeklyLimitError(absl::string_view expert, int32_t limit, const Interval& week) {
  return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat(expert, " already hosts ", limit,
                                    " sessions in the week starting ", Rfc3339Utc(week.start)),
                       kReasonWeeklyLimit,
                       {{"expert", std::string(expert)},
                        {"limit", absl::StrCat(limit)},
                        {"weekStartTime", Rfc3339Utc(week.start)},
                        {"weekEndTime", Rfc3339Utc(week.end)}});
}

absl::Status ConflictError(absl::string_view resource, absl::string_view holder,
                           const Session* holder_session, const Interval& holder_range) {
  const bool room = absl::StartsWith(resource, "venues/");
  Interval shown = holder_session != nullptr ? holder_session->interval() : holder_range;
  return ErrorWithInfo(
      absl::StatusCode::kFailedPrecondition,
      absl::StrCat(resource, " is already booked by ", holder, " from ", Rfc3339Utc(shown.start),
                   " to ", Rfc3339Utc(shown.end)),
      room ? kReasonRoomDoubleBooked : kReasonExpertDoubleBooked,
      {{"resource", std::string(resource)},
       {"conflictingSession", std::string(holder)},
       {"conflictStartTime", Rfc3339Utc(shown.start)},
       {"conflictEndTime", Rfc3339Utc(shown.end)}});
}

int32_t EffectiveCapacity(const Session& session, const Event& event, const Room* room) {
  if (session.capacity > 0) return session.capacity;
  if (event.default_capacity > 0) {
    return room != nullptr && room->capacity > 0 ? std::min(event.default_capacity, room->capacity)
                                                 : event.default_capacity;
  }
  return room != nullptr ? room->capacity : 0;
}

}  // namespace etnik::scheduling
