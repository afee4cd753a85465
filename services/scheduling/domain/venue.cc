#include "services/scheduling/domain/venue.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"

namespace etnik::scheduling {

const Room* Venue::FindRoom(absl::string_view room_id) const {
  for (const Room& room : rooms) {
    if (room.room_id == room_id) return &room;
  }
  return nullptr;
}

absl::Status ValidateVenue(const Venue& venue, absl::string_view prefix) {
  std::vector<FieldViolation> v;
  auto field = [&](absl::string_view f) {
    return prefix.empty() ? std::string(f) : absl::StrCat(prefix, ".", f);
  };
  if (venue.title.ru.empty()) v.push_back({field("title.ru"), "required"});
  absl::TimeZone zone;
  if (venue.time_zone.empty() || !absl::LoadTimeZone(venue.time_zone, &zone)) {
    v.push_back({field("time_zone"), "must be an IANA time zone, for example Europe/Moscow"});
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < venue.rooms.size(); ++i) {
    const Room& room = venue.rooms[i];
    const std::string at = field(absl::StrCat("rooms[", i, "]"));
    if (!IsValidResourceId(room.room_id)) {
      v.push_back({at + ".room_id", "must match [a-z][a-z0-9-]{0,62}"});
    } else if (!seen.insert(room.room_id).second) {
      v.push_back({at + ".room_id", "is used twice"});
    }
    if (room.capacity < 0) v.push_back({at + ".capacity", "must not be negative"});
  }
  if (!v.empty()) return InvalidArgumentError("invalid venue", std::move(v));
  return absl::OkStatus();
}

}  // namespace etnik::scheduling
