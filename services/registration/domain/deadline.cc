#include "services/registration/domain/deadline.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "services/registration/domain/formats.h"

namespace etnik::registration {
namespace {

// The zone to tell times in; unknown zones fall back to UTC so an error message never fails.
std::pair<absl::TimeZone, std::string> ZoneOrUtc(absl::string_view iana_zone) {
  absl::TimeZone tz;
  if (IsValidTimeZone(iana_zone) && absl::LoadTimeZone(std::string(iana_zone), &tz)) {
    return {tz, std::string(iana_zone)};
  }
  return {absl::UTCTimeZone(), "UTC"};
}

// "+03:00"
std::string Offset(absl::Time t, absl::TimeZone tz) {
  int seconds = tz.At(t).offset;
  char sign = seconds < 0 ? '-' : '+';
  if (seconds < 0) seconds = -seconds;
  return absl::StrFormat("%c%02d:%02d", sign, seconds / 3600, seconds % 3600 / 60);
}

}  // namespace

std::string FormatInZone(absl::Time t, absl::string_view iana_zone, Language lang) {
  // Russian needs the genitive month ("12 апреля"), which no strftime gives, so build it here.
  static constexpr const char* kMonthsRu[] = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                                              "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
  static constexpr const char* kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                              "July",    "August",   "September", "October", "November", "December"};
  auto [tz, zone_name] = ZoneOrUtc(iana_zone);
  absl::CivilSecond cs = absl::ToCivilSecond(t, tz);
  int month = cs.month() - 1;
  std::string clock = absl::StrFormat("%02d:%02d:%02d", cs.hour(), cs.minute(), cs.second());
  std::string zone = absl::StrCat("(", zone_name, ", UTC", Offset(t, tz), ")");
  if (lang == Language::kEnglish) {
    return absl::StrFormat("%d %s %d, %s %s", cs.day(), kMonthsEn[month], cs.year(), clock, zone);
  }
  return absl::StrFormat("%d %s %d г., %s %s", cs.day(), kMonthsRu[month], cs.year(), clock, zone);
}

std::string Rfc3339InZone(absl::Time t, absl::string_view iana_zone) {
  auto [tz, zone_name] = ZoneOrUtc(iana_zone);
  absl::CivilSecond cs = absl::ToCivilSecond(t, tz);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d%s", cs.year(), cs.month(), cs.day(), cs.hour(), cs.minute(),
                         cs.second(), Offset(t, tz));
}

absl::Status DeadlinePassedError(absl::Time deadline, absl::string_view iana_zone, Language lang) {
  auto zone_name = ZoneOrUtc(iana_zone).second;
  return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                       Message(MessageKey::kDeadlinePassed, lang, {{"deadline", FormatInZone(deadline, iana_zone, lang)}}),
                       "DEADLINE_PASSED",
                       {{"deadline", Rfc3339InZone(deadline, iana_zone)}, {"time_zone", zone_name}});
}

absl::Status FormNotOpenError(absl::Time open_time, absl::string_view iana_zone, Language lang) {
  auto zone_name = ZoneOrUtc(iana_zone).second;
  return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                       Message(MessageKey::kFormNotOpen, lang, {{"open_time", FormatInZone(open_time, iana_zone, lang)}}),
                       "FORM_NOT_OPEN",
                       {{"open_time", Rfc3339InZone(open_time, iana_zone)}, {"time_zone", zone_name}});
}

}  // namespace etnik::registration
