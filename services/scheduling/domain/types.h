#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_TYPES_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_TYPES_H_

// Vocabulary shared by the scheduling domain. Enum values equal the wire values of the
// etnik.common.v1 / etnik.scheduling.v1 enums, so the API maps them by a cast after a range check.

#include <string>

#include "absl/strings/string_view.h"

namespace etnik::scheduling {

enum class EventKind {
  kUnspecified = 0,
  kWebinar = 1,
  kMasterClass = 2,
  kCourse = 3,
  kSeminar = 4,
  kMarathonFair = 5,
  kConference = 6,
};
inline constexpr int kMaxEventKind = 6;
absl::string_view EventKindName(EventKind kind);  // "webinar", "master-class", ...

enum class SessionState { kUnspecified = 0, kScheduled = 1, kCancelled = 2, kHeld = 3 };
inline constexpr int kMaxSessionState = 3;

enum class AttendeeState { kUnspecified = 0, kRegistered = 1, kWaitlisted = 2, kCancelled = 3 };
inline constexpr int kMaxAttendeeState = 3;

enum class Language { kUnspecified = 0, kRu = 1, kEn = 2 };

// Russian text, optional English.
struct LocalizedText {
  std::string ru;
  std::string en;

  // The text in `language`, falling back to Russian.
  const std::string& In(Language language) const {
    return language == Language::kEn && !en.empty() ? en : ru;
  }
  bool empty() const { return ru.empty() && en.empty(); }
  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

// Programme targets scheduling counts (values of etnik.common.v1.TargetMetric).
enum class TargetMetric {
  kUnspecified = 0,
  kWebinarsAndMasterClasses = 4,
  kSessions = 5,
  kAttendance = 6,
};

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_TYPES_H_
