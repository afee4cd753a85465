#ifndef ETNIK_SERVICES_HUBS_DOMAIN_MODEL_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_MODEL_H_

// The hubs domain: thematic hubs of a programme, their experts, leads and participants.
// Plain values; rules live in rules.h, behaviour in hubs_use_cases.h.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace etnik::hubs {

// Russian text (required where the text is) with an optional English version.
struct LocalizedText {
  std::string ru;
  std::string en;
  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

// How to reach a person or a hub; every part optional.
struct Contact {
  std::string email;
  std::string phone;     // E.164, e.g. +74812000000
  std::string telegram;  // username without @, or a numeric chat id
  std::string website_uri;
  friend bool operator==(const Contact&, const Contact&) = default;
};

enum class Language { kUnspecified, kRu, kEn };

enum class HubState { kDraft, kPublished, kClosed };

// A wall-clock time of day, in the owner's zone. 24:00 only as the end of a day.
struct TimeOfDay {
  int hours = 0;
  int minutes = 0;
  int InMinutes() const { return hours * 60 + minutes; }
  friend bool operator==(const TimeOfDay&, const TimeOfDay&) = default;
};

// ISO weekday numbers: 1 = Monday ... 7 = Sunday; 0 = not set.
struct AvailabilityWindow {
  int day_of_week = 0;
  TimeOfDay start;
  TimeOfDay end;
  friend bool operator==(const AvailabilityWindow&, const AvailabilityWindow&) = default;
};

// A dated change to the weekly windows; without times it covers the whole day.
struct AvailabilityException {
  int year = 0, month = 0, day = 0;
  bool available = false;
  bool whole_day = true;
  TimeOfDay start;
  TimeOfDay end;
  std::string note;
  friend bool operator==(const AvailabilityException&, const AvailabilityException&) = default;
};

// A thematic hub of a programme. Counts are kept with the hub so the 3-5 rule and the
// participant capacity are checked on one row inside one transaction.
struct Hub {
  std::string id;         // resource id: hubs/{id}
  std::string programme;  // programmes/{programme}
  LocalizedText title;
  std::string theme;  // slug
  LocalizedText theme_title;
  LocalizedText description;
  Contact contact;
  HubState state = HubState::kDraft;
  int participant_capacity = 0;  // 0 means no limit
  int expert_count = 0;
  int participant_count = 0;
  absl::Time publish_time = absl::UnixEpoch();  // epoch: never published
  absl::Time close_time = absl::UnixEpoch();    // epoch: not closed
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  int64_t version = 0;  // raised by every change; the etag is made from it
};

// An expert's profile. Availability is stated in the expert's own IANA zone.
struct Expert {
  std::string id;  // experts/{id}
  LocalizedText full_name;
  LocalizedText bio;
  std::vector<std::string> topics;
  std::string city;
  std::string time_zone;
  Contact contact;
  std::string photo_uri;
  std::string subject;  // account subject, if the expert has one
  Language language = Language::kUnspecified;
  std::vector<AvailabilityWindow> weekly_availability;
  std::vector<AvailabilityException> availability_exceptions;
  std::vector<std::string> hubs;  // output only: hub ids, sorted
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  int64_t version = 0;
};

// An expert's place in a hub.
struct Membership {
  std::string hub_id;
  std::string expert_id;
  absl::Time create_time = absl::UnixEpoch();
};

// A person who manages a hub.
struct HubLead {
  std::string hub_id;
  std::string id;       // hubs/{hub}/leads/{id}
  std::string subject;  // token "sub"
  std::string full_name;
  Contact contact;
  std::string time_zone;
  Language language = Language::kUnspecified;
  absl::Time create_time = absl::UnixEpoch();
};

// A participant the registration service confirmed (local read model of its events).
struct ConfirmedParticipant {
  std::string participant;  // programmes/{programme}/participants/{participant}
  std::string programme;    // programmes/{programme}
  std::string organisation_name;
  absl::Time confirm_time = absl::UnixEpoch();
};

// A confirmed participant's place in a hub.
struct Assignment {
  std::string hub_id;
  std::string participant;     // programmes/{programme}/participants/{participant}
  std::string participant_id;  // its last segment: hubs/{hub}/participants/{participant_id}
  std::string organisation_name;
  absl::Time create_time = absl::UnixEpoch();
};

// What a programme stage promises, as far as hubs count it (from registration's events).
enum class TargetMetric { kHubs, kExperts };

struct StageTarget {
  std::string stage;      // programmes/{programme}/stages/{stage}
  std::string programme;  // programmes/{programme}
  TargetMetric metric = TargetMetric::kHubs;
  int value = 0;
};

struct TargetProgress {
  std::string stage;
  TargetMetric metric = TargetMetric::kHubs;
  int target = 0;
  int actual = 0;
};

// Counts of one programme's hubs against its targets.
struct HubsProgress {
  std::string programme;
  int draft_hubs = 0;
  int published_hubs = 0;
  int closed_hubs = 0;
  int experts = 0;  // distinct experts of published hubs
  int assigned_participants = 0;
  std::vector<TargetProgress> targets;
};

// A published hub as the public catalogue shows it: the hub and its experts, ordered by name.
struct CatalogueEntry {
  Hub hub;
  std::vector<Expert> experts;
};

// One theme of published hubs.
struct ThemeCount {
  std::string theme;
  LocalizedText title;
  int hub_count = 0;
};

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_MODEL_H_
