#include "services/hubs/domain/rules.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/ids/ids.h"

namespace etnik::hubs {
namespace {

bool HasSpaceOrControl(absl::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void Add(std::vector<FieldViolation>* out, const std::string& field, std::string description) {
  out->push_back({field, std::move(description)});
}

void CheckRequiredText(const LocalizedText& text, const std::string& field, size_t max_bytes,
                       std::vector<FieldViolation>* out) {
  if (absl::StripAsciiWhitespace(text.ru).empty()) {
    Add(out, field + ".ru", "required: the Russian text must not be empty");
  } else if (text.ru.size() > max_bytes) {
    Add(out, field + ".ru", absl::StrCat("too long: at most ", max_bytes, " bytes"));
  }
  if (text.en.size() > max_bytes) {
    Add(out, field + ".en", absl::StrCat("too long: at most ", max_bytes, " bytes"));
  }
}

void CheckOptionalText(const LocalizedText& text, const std::string& field, size_t max_bytes,
                       std::vector<FieldViolation>* out) {
  if (text.ru.size() > max_bytes) Add(out, field + ".ru", absl::StrCat("too long: at most ", max_bytes, " bytes"));
  if (text.en.size() > max_bytes) Add(out, field + ".en", absl::StrCat("too long: at most ", max_bytes, " bytes"));
}

void CheckTimeZone(const std::string& zone, const std::string& field, bool required,
                   std::vector<FieldViolation>* out) {
  if (zone.empty()) {
    if (required) Add(out, field, "required: an IANA time zone such as Europe/Moscow");
    return;
  }
  if (!IsKnownTimeZone(zone)) {
    Add(out, field, absl::StrCat("unknown time zone \"", zone, "\": use an IANA name such as Europe/Moscow"));
  }
}

bool ValidTime(const TimeOfDay& t) {
  if (t.hours == 24) return t.minutes == 0;
  return t.hours >= 0 && t.hours < 24 && t.minutes >= 0 && t.minutes < 60;
}

void CheckWindow(const AvailabilityWindow& w, const std::string& field, std::vector<FieldViolation>* out) {
  if (w.day_of_week < 1 || w.day_of_week > 7) Add(out, field + ".day_of_week", "required: a day of the week");
  if (!ValidTime(w.start) || w.start.hours == 24) {
    Add(out, field + ".start", "not a time of day (00:00 to 23:59)");
  } else if (!ValidTime(w.end)) {
    Add(out, field + ".end", "not a time of day (00:00 to 24:00)");
  } else if (w.end.InMinutes() <= w.start.InMinutes()) {
    Add(out, field + ".end", "must be after start on the same day");
  }
}

void CheckException(const AvailabilityException& e, const std::string& field, std::vector<FieldViolation>* out) {
  const absl::CivilDay date(e.year, e.month, e.day);  // normalises 31 April to 1 May
  if (e.year < 1 || e.year > 9999 || date.year() != e.year || date.month() != e.month || date.day() != e.day) {
    Add(out, field + ".date", "not a calendar date");
  }
  if (e.whole_day) return;
  if (!ValidTime(e.start) || e.start.hours == 24) {
    Add(out, field + ".start", "not a time of day (00:00 to 23:59)");
  } else if (!ValidTime(e.end)) {
    Add(out, field + ".end", "not a time of day (00:00 to 24:00)");
  } else if (e.end.InMinutes() <= e.start.InMinutes()) {
    Add(out, field + ".end", "must be after start on the same day");
  }
}

}  // namespace

bool IsValidEmail(absl::string_view email) {
  if (email.size() > 254 || HasSpaceOrControl(email)) return false;
  size_t at = email.find('@');
  if (at == absl::string_view::npos || at == 0 || email.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  absl::string_view domain = email.substr(at + 1);
  size_t dot = domain.rfind('.');
  return !domain.empty() && dot != absl::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         !absl::StrContains(domain, "..") && domain.front() != '.';
}

bool IsValidHttpUri(absl::string_view uri) {
  if (uri.size() > 2048 || HasSpaceOrControl(uri)) return false;
  absl::string_view rest;
  if (absl::StartsWithIgnoreCase(uri, "https://")) {
    rest = uri.substr(8);
  } else if (absl::StartsWithIgnoreCase(uri, "http://")) {
    rest = uri.substr(7);
  } else {
    return false;
  }
  size_t end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, end);
  if (size_t at = authority.rfind('@'); at != absl::string_view::npos) authority = authority.substr(at + 1);
  if (authority.empty() || authority.front() == ':' || authority.front() == '.') return false;
  for (char c : authority) {
    if (c == '<' || c == '>' || c == '"' || c == '\\') return false;
  }
  return true;
}

bool IsValidPhone(absl::string_view phone) {
  if (phone.size() < 8 || phone.size() > 16 || phone[0] != '+') return false;
  absl::string_view digits = phone.substr(1);
  return AllDigits(digits) && digits[0] != '0';
}

bool IsValidTelegram(absl::string_view telegram) {
  absl::string_view id = telegram;
  if (!id.empty() && id[0] == '-') id.remove_prefix(1);
  if (AllDigits(id)) return true;
  if (telegram.size() < 5 || telegram.size() > 32 || !absl::ascii_isalpha(static_cast<unsigned char>(telegram[0]))) {
    return false;
  }
  for (char c : telegram) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool IsKnownTimeZone(absl::string_view zone) {
  if (zone.empty() || zone.size() > 64 || HasSpaceOrControl(zone)) return false;
  absl::TimeZone tz;
  return absl::LoadTimeZone(std::string(zone), &tz);
}

bool IsValidThemeSlug(absl::string_view theme) { return IsValidResourceId(theme); }

bool IsValidProgrammeName(absl::string_view name) {
  return absl::ConsumePrefix(&name, "programmes/") && IsValidResourceId(name);
}

bool ParseParticipantName(absl::string_view name, std::string* programme, std::string* participant_id) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "programmes" || parts[2] != "participants" ||
      !IsValidResourceId(parts[1]) || !IsValidResourceId(parts[3])) {
    return false;
  }
  *programme = absl::StrCat("programmes/", parts[1]);
  *participant_id = std::string(parts[3]);
  return true;
}

void CheckContact(const Contact& contact, const std::string& prefix, std::vector<FieldViolation>* out) {
  if (!contact.email.empty() && !IsValidEmail(contact.email)) {
    Add(out, prefix + ".email", absl::StrCat("not an e-mail address: \"", contact.email, "\""));
  }
  if (!contact.phone.empty() && !IsValidPhone(contact.phone)) {
    Add(out, prefix + ".phone", "not a phone number in E.164 form, such as +74812000000");
  }
  if (!contact.telegram.empty() && !IsValidTelegram(contact.telegram)) {
    Add(out, prefix + ".telegram", "not a Telegram username (without @) or chat id");
  }
  if (!contact.website_uri.empty() && !IsValidHttpUri(contact.website_uri)) {
    Add(out, prefix + ".website_uri", "not an absolute http(s) URI");
  }
}

void CheckHub(const Hub& hub, const std::string& prefix, std::vector<FieldViolation>* out) {
  if (!IsValidProgrammeName(hub.programme)) {
    Add(out, prefix + ".programme", "required: a programme name such as programmes/etnik-2021");
  }
  CheckRequiredText(hub.title, prefix + ".title", kMaxTitleBytes, out);
  if (hub.theme.empty()) {
    Add(out, prefix + ".theme", "required: a theme slug such as \"media\"");
  } else if (!IsValidThemeSlug(hub.theme)) {
    Add(out, prefix + ".theme", "not a theme slug: lowercase latin letters, digits and '-', starting with a letter");
  }
  CheckOptionalText(hub.theme_title, prefix + ".theme_title", kMaxTitleBytes, out);
  CheckOptionalText(hub.description, prefix + ".description", kMaxTextBytes, out);
  CheckContact(hub.contact, prefix + ".contact", out);
  if (hub.participant_capacity < 0) {
    Add(out, prefix + ".participant_capacity", "must not be negative (0 means no limit)");
  }
}

void CheckExpert(const Expert& expert, const std::string& prefix, std::vector<FieldViolation>* out) {
  CheckRequiredText(expert.full_name, prefix + ".full_name", kMaxTitleBytes, out);
  CheckOptionalText(expert.bio, prefix + ".bio", kMaxTextBytes, out);
  if (expert.topics.size() > kMaxTopics) {
    Add(out, prefix + ".topics", absl::StrCat("too many: at most ", kMaxTopics));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < expert.topics.size(); ++i) {
    const std::string& topic = expert.topics[i];
    std::string field = absl::StrCat(prefix, ".topics[", i, "]");
    if (absl::StripAsciiWhitespace(topic).empty()) {
      Add(out, field, "must not be empty");
    } else if (topic.size() > kMaxTitleBytes) {
      Add(out, field, "too long");
    } else if (!seen.insert(topic).second) {
      Add(out, field, absl::StrCat("repeats the topic \"", topic, "\""));
    }
  }
  if (expert.city.size() > kMaxTitleBytes) Add(out, prefix + ".city", "too long");
  CheckTimeZone(expert.time_zone, prefix + ".time_zone", /*required=*/true, out);
  CheckContact(expert.contact, prefix + ".contact", out);
  if (!expert.photo_uri.empty() && !IsValidHttpUri(expert.photo_uri)) {
    Add(out, prefix + ".photo_uri", "not an absolute http(s) URI");
  }
  if (expert.subject.size() > 256 || HasSpaceOrControl(expert.subject)) {
    Add(out, prefix + ".subject", "not an account subject");
  }
  if (expert.weekly_availability.size() > kMaxAvailabilityEntries) {
    Add(out, prefix + ".weekly_availability", "too many windows");
  }
  for (size_t i = 0; i < expert.weekly_availability.size(); ++i) {
    CheckWindow(expert.weekly_availability[i], absl::StrCat(prefix, ".weekly_availability[", i, "]"), out);
  }
  if (expert.availability_exceptions.size() > kMaxAvailabilityEntries) {
    Add(out, prefix + ".availability_exceptions", "too many exceptions");
  }
  for (size_t i = 0; i < expert.availability_exceptions.size(); ++i) {
    CheckException(expert.availability_exceptions[i],
                   absl::StrCat(prefix, ".availability_exceptions[", i, "]"), out);
  }
}

void CheckLead(const HubLead& lead, const std::string& prefix, std::vector<FieldViolation>* out) {
  if (lead.subject.empty()) {
    Add(out, prefix + ".subject", "required: the subject (token \"sub\") of the lead's account");
  } else if (lead.subject.size() > 256 || HasSpaceOrControl(lead.subject)) {
    Add(out, prefix + ".subject", "not an account subject");
  }
  if (absl::StripAsciiWhitespace(lead.full_name).empty()) {
    Add(out, prefix + ".full_name", "required: the lead's name");
  } else if (lead.full_name.size() > kMaxTitleBytes) {
    Add(out, prefix + ".full_name", "too long");
  }
  CheckContact(lead.contact, prefix + ".contact", out);
  CheckTimeZone(lead.time_zone, prefix + ".time_zone", /*required=*/false, out);
}

absl::Status ViolationsStatus(absl::string_view what, std::vector<FieldViolation> violations) {
  if (violations.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) parts.push_back(absl::StrCat(v.field, ": ", v.description));
  return InvalidArgumentError(absl::StrCat(what, ": ", absl::StrJoin(parts, "; ")), std::move(violations));
}

std::string EmailKey(absl::string_view email) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
}

}  // namespace etnik::hubs
