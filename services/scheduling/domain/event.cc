#include "services/scheduling/domain/event.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/venue.h"

namespace etnik::scheduling {

absl::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kWebinar: return "webinar";
    case EventKind::kMasterClass: return "master-class";
    case EventKind::kCourse: return "course";
    case EventKind::kSeminar: return "seminar";
    case EventKind::kMarathonFair: return "marathon-fair";
    case EventKind::kConference: return "conference";
    case EventKind::kUnspecified: break;
  }
  return "unspecified";
}

const Track* Event::FindTrack(absl::string_view track_id) const {
  for (const Track& t : tracks) {
    if (t.track_id == track_id) return &t;
  }
  return nullptr;
}

absl::Status ValidateEvent(const Event& event, absl::string_view prefix) {
  std::vector<FieldViolation> v;
  auto field = [&](absl::string_view f) {
    return prefix.empty() ? std::string(f) : absl::StrCat(prefix, ".", f);
  };
  if (!IsProgrammeName(event.programme)) {
    v.push_back({field("programme"), "must be programmes/{programme}"});
  }
  if (!IsStageName(event.stage)) {
    v.push_back({field("stage"), "must be programmes/{programme}/stages/{stage_id}"});
  } else if (IsProgrammeName(event.programme) && ProgrammeOf(event.stage) != event.programme) {
    v.push_back({field("stage"), "must be a stage of the event's programme"});
  }
  if (event.kind == EventKind::kUnspecified) v.push_back({field("kind"), "required"});
  if (event.title.ru.empty()) v.push_back({field("title.ru"), "required"});
  if (!event.hub.empty() && !IsHubName(event.hub)) v.push_back({field("hub"), "must be hubs/{hub}"});
  if (!event.venue.empty()) {
    absl::string_view id = event.venue;
    if (!absl::ConsumePrefix(&id, "venues/") || !IsValidResourceId(id)) {
      v.push_back({field("venue"), "must be venues/{venue}"});
    }
  } else if (event.kind == EventKind::kSeminar) {
    v.push_back({field("venue"), "a seminar is held in person: give its venue"});
  }
  absl::TimeZone zone;
  if (event.time_zone.empty() || !absl::LoadTimeZone(event.time_zone, &zone)) {
    v.push_back({field("time_zone"), "must be an IANA time zone, for example Europe/Moscow"});
  }
  if (event.default_capacity < 0) v.push_back({field("default_capacity"), "must not be negative"});
  if (!event.tracks.empty() && event.kind != EventKind::kConference) {
    v.push_back({field("tracks"), "only conferences have tracks"});
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < event.tracks.size(); ++i) {
    const Track& t = event.tracks[i];
    const std::string at = field(absl::StrCat("tracks[", i, "]"));
    if (!IsValidResourceId(t.track_id)) {
      v.push_back({at + ".track_id", "must match [a-z][a-z0-9-]{0,62}"});
    } else if (!seen.insert(t.track_id).second) {
      v.push_back({at + ".track_id", "is used twice"});
    }
    if (t.title.ru.empty()) v.push_back({at + ".title.ru", "required"});
    if (!t.room.empty() && !ParseRoomName(t.room).has_value()) {
      v.push_back({at + ".room", "must be venues/{venue}/rooms/{room_id}"});
    }
  }
  if (!v.empty()) return InvalidArgumentError("invalid event", std::move(v));
  return absl::OkStatus();
}

}  // namespace etnik::scheduling
