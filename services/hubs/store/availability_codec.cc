#include "services/hubs/store/availability_codec.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace etnik::hubs::store {
namespace {

std::string Time(const TimeOfDay& t) { return absl::StrFormat("%02d:%02d", t.hours, t.minutes); }

bool ParseTime(absl::string_view s, TimeOfDay* t) {
  std::vector<absl::string_view> parts = absl::StrSplit(s, ':');
  return parts.size() == 2 && absl::SimpleAtoi(parts[0], &t->hours) && absl::SimpleAtoi(parts[1], &t->minutes);
}

absl::Status Corrupt(absl::string_view what, absl::string_view line) {
  return absl::DataLossError(absl::StrCat("stored ", what, " cannot be read: \"", line, "\""));
}

}  // namespace

std::string EncodeWeekly(const std::vector<AvailabilityWindow>& windows) {
  std::string out;
  for (const AvailabilityWindow& w : windows) {
    absl::StrAppend(&out, w.day_of_week, "|", Time(w.start), "|", Time(w.end), "\n");
  }
  return out;
}

absl::StatusOr<std::vector<AvailabilityWindow>> DecodeWeekly(const std::string& text) {
  std::vector<AvailabilityWindow> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, '|');
    AvailabilityWindow w;
    if (f.size() != 3 || !absl::SimpleAtoi(f[0], &w.day_of_week) || !ParseTime(f[1], &w.start) ||
        !ParseTime(f[2], &w.end)) {
      return Corrupt("weekly availability", line);
    }
    out.push_back(w);
  }
  return out;
}

std::string EncodeExceptions(const std::vector<AvailabilityException>& exceptions) {
  std::string out;
  for (const AvailabilityException& e : exceptions) {
    absl::StrAppend(&out, absl::StrFormat("%04d-%02d-%02d", e.year, e.month, e.day), "|", e.available ? 1 : 0, "|",
                    e.whole_day ? "-" : Time(e.start), "|", e.whole_day ? "-" : Time(e.end), "|",
                    absl::Utf8SafeCEscape(e.note), "\n");
  }
  return out;
}

absl::StatusOr<std::vector<AvailabilityException>> DecodeExceptions(const std::string& text) {
  std::vector<AvailabilityException> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, absl::MaxSplits('|', 4));
    AvailabilityException e;
    int available = 0;
    std::vector<absl::string_view> date;
    if (f.size() == 5) date = absl::StrSplit(f[0], '-');
    if (date.size() != 3 || !absl::SimpleAtoi(date[0], &e.year) || !absl::SimpleAtoi(date[1], &e.month) ||
        !absl::SimpleAtoi(date[2], &e.day) || !absl::SimpleAtoi(f[1], &available)) {
      return Corrupt("availability exception", line);
    }
    e.available = available == 1;
    e.whole_day = f[2] == "-";
    if (!e.whole_day && (!ParseTime(f[2], &e.start) || !ParseTime(f[3], &e.end))) {
      return Corrupt("availability exception", line);
    }
    std::string error;
    if (!absl::CUnescape(f[4], &e.note, &error)) return Corrupt("availability exception", line);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace etnik::hubs::store
