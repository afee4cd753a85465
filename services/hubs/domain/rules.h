#ifndef ETNIK_SERVICES_HUBS_DOMAIN_RULES_H_
#define ETNIK_SERVICES_HUBS_DOMAIN_RULES_H_

// The rules of hubs and experts: limits, shapes of names and values, field validation.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "services/hubs/domain/model.h"

namespace etnik::hubs {

// A hub is published with at least kMinExperts and never holds more than kMaxExperts.
inline constexpr int kMinExperts = 3;
inline constexpr int kMaxExperts = 5;

// Lengths in bytes of UTF-8 (a Cyrillic letter takes two).
inline constexpr size_t kMaxTitleBytes = 400;
inline constexpr size_t kMaxTextBytes = 8000;
inline constexpr size_t kMaxTopics = 20;
inline constexpr size_t kMaxAvailabilityEntries = 200;

// Values.
bool IsValidEmail(absl::string_view email);
// Absolute http or https URI with a host and no spaces or control characters.
bool IsValidHttpUri(absl::string_view uri);
// E.164: "+" then 7 to 15 digits, the first not 0.
bool IsValidPhone(absl::string_view phone);
// A Telegram username (5-32 of [A-Za-z0-9_], starting with a letter) or a numeric chat id.
bool IsValidTelegram(absl::string_view telegram);
// An IANA zone this machine knows (from the system tz database), e.g. "Asia/Vladivostok".
bool IsKnownTimeZone(absl::string_view zone);
// A theme slug: [a-z][a-z0-9-]{0,62}, not ending in "-".
bool IsValidThemeSlug(absl::string_view theme);

// Resource names.
// "programmes/{programme}".
bool IsValidProgrammeName(absl::string_view name);
// "programmes/{programme}/participants/{participant}": on success sets the parts.
bool ParseParticipantName(absl::string_view name, std::string* programme, std::string* participant_id);

// Field validation: appends one violation per bad field, paths prefixed with `prefix`
// (e.g. "hub" gives "hub.title.ru").
void CheckContact(const Contact& contact, const std::string& prefix, std::vector<FieldViolation>* out);
void CheckHub(const Hub& hub, const std::string& prefix, std::vector<FieldViolation>* out);
void CheckExpert(const Expert& expert, const std::string& prefix, std::vector<FieldViolation>* out);
void CheckLead(const HubLead& lead, const std::string& prefix, std::vector<FieldViolation>* out);

// INVALID_ARGUMENT with the violations, or OK when there are none.
absl::Status ViolationsStatus(absl::string_view what, std::vector<FieldViolation> violations);

// The normalised e-mail by which duplicate expert profiles are recognised ("" when none).
std::string EmailKey(absl::string_view email);

}  // namespace etnik::hubs

#endif  // ETNIK_SERVICES_HUBS_DOMAIN_RULES_H_
