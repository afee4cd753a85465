#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_VENUE_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_VENUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scheduling/domain/types.h"

namespace etnik::scheduling {

struct Room {
  std::string room_id;  // unique within the venue
  LocalizedText title;
  int32_t capacity = 0;
};

// A place with rooms; resource name venues/{id}.
struct Venue {
  std::string id;
  LocalizedText title;
  std::string address;
  std::string city;
  std::string time_zone;
  std::vector<Room> rooms;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 0;

  std::string name() const { return "venues/" + id; }
  const Room* FindRoom(absl::string_view room_id) const;
};

// INVALID_ARGUMENT with one violation per bad field (prefix e.g. "venue").
absl::Status ValidateVenue(const Venue& venue, absl::string_view prefix);

// A room reference venues/{venue}/rooms/{room_id}, split.
struct RoomRef {
  std::string venue_id;
  std::string room_id;
  std::string name() const { return "venues/" + venue_id + "/rooms/" + room_id; }
};
std::optional<RoomRef> ParseRoomName(absl::string_view name);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_VENUE_H_
