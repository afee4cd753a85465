#include "services/notifications/domain/time_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace etnik::notifications {
namespace {

using etnik::common::v1::Language;

// Russian months in the genitive, as in "25 ноября".
constexpr const char* kMonthsRu[] = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                                     "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
constexpr const char* kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

// The zone and the name to show; an unknown or empty name is shown as UTC.
std::pair<absl::TimeZone, std::string> Zone(absl::string_view name) {
  absl::TimeZone zone;
  if (!name.empty() && absl::LoadTimeZone(std::string(name), &zone)) return {zone, std::string(name)};
  return {absl::UTCTimeZone(), "UTC"};
}

std::string Format(absl::Time t, const absl::TimeZone& zone, absl::string_view shown, Language lang) {
  const absl::CivilMinute m = absl::ToCivilMinute(t, zone);
  const int month = m.month() - 1;
  if (lang == etnik::common::v1::LANGUAGE_EN) {
    return absl::StrFormat("%d %s %d, %02d:%02d (%s)", m.day(), kMonthsEn[month], m.year(), m.hour(),
                           m.minute(), shown);
  }
  return absl::StrFormat("%d %s %d г., %02d:%02d (%s)", m.day(), kMonthsRu[month], m.year(), m.hour(),
                         m.minute(), shown);
}

}  // namespace

std::string FormatLocal(absl::Time t, absl::string_view zone, Language lang) {
  auto [tz, shown] = Zone(zone);
  return Format(t, tz, shown, lang);
}

std::string FormatForRecipient(absl::Time t, absl::string_view event_zone,
                               absl::string_view recipient_zone, Language lang) {
  auto [etz, event_shown] = Zone(event_zone);
  absl::TimeZone rtz;
  if (recipient_zone.empty() || recipient_zone == event_zone ||
      !absl::LoadTimeZone(std::string(recipient_zone), &rtz)) {
    return Format(t, etz, event_shown, lang);
  }
  const std::string recipient_shown(recipient_zone);
  // Same wall-clock time in both zones: one text is enough and cannot confuse.
  if (etz.At(t).offset == rtz.At(t).offset) return Format(t, etz, event_shown, lang);
  const std::string mine = Format(t, rtz, recipient_shown, lang);
  const std::string theirs = Format(t, etz, event_shown, lang);
  if (lang == etnik::common::v1::LANGUAGE_EN) return absl::StrCat(mine, "; event time: ", theirs);
  return absl::StrCat(mine, "; по времени мероприятия: ", theirs);
}

}  // namespace etnik::notifications
