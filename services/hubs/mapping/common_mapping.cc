#include "services/hubs/mapping/common_mapping.h"

namespace etnik::hubs::mapping {

namespace v1 = etnik::common::v1;

void ToProto(const LocalizedText& in, v1::LocalizedText* out) {
  out->set_ru(in.ru);
  out->set_en(in.en);
}

LocalizedText FromProto(const v1::LocalizedText& in) { return {in.ru(), in.en()}; }

void ToProto(const Contact& in, v1::ContactInfo* out) {
  out->set_email(in.email);
  out->set_phone(in.phone);
  out->set_telegram(in.telegram);
  out->set_website_uri(in.website_uri);
}

Contact FromProto(const v1::ContactInfo& in) { return {in.email(), in.phone(), in.telegram(), in.website_uri()}; }

v1::Language ToProto(Language in) {
  switch (in) {
    case Language::kRu:
      return v1::LANGUAGE_RU;
    case Language::kEn:
      return v1::LANGUAGE_EN;
    case Language::kUnspecified:
      break;
  }
  return v1::LANGUAGE_UNSPECIFIED;
}

Language FromProto(v1::Language in) {
  switch (in) {
    case v1::LANGUAGE_RU:
      return Language::kRu;
    case v1::LANGUAGE_EN:
      return Language::kEn;
    default:
      return Language::kUnspecified;
  }
}

namespace {

void ToProto(const TimeOfDay& in, v1::TimeOfDay* out) {
  out->set_hours(in.hours);
  out->set_minutes(in.minutes);
}

TimeOfDay FromProto(const v1::TimeOfDay& in) { return {in.hours(), in.minutes()}; }

}  // namespace

void ToProto(const AvailabilityWindow& in, v1::AvailabilityWindow* out) {
  // DayOfWeek numbers are ISO weekdays, as in the domain.
  out->set_day_of_week(static_cast<v1::DayOfWeek>(in.day_of_week));
  ToProto(in.start, out->mutable_start());
  ToProto(in.end, out->mutable_end());
}

AvailabilityWindow FromProto(const v1::AvailabilityWindow& in) {
  return {static_cast<int>(in.day_of_week()), FromProto(in.start()), FromProto(in.end())};
}

void ToProto(const AvailabilityException& in, v1::AvailabilityException* out) {
  out->mutable_date()->set_year(in.year);
  out->mutable_date()->set_month(in.month);
  out->mutable_date()->set_day(in.day);
  out->set_available(in.available);
  if (!in.whole_day) {
    ToProto(in.start, out->mutable_start());
    ToProto(in.end, out->mutable_end());
  }
  out->set_note(in.note);
}

AvailabilityException FromProto(const v1::AvailabilityException& in) {
  AvailabilityException out;
  out.year = in.date().year();
  out.month = in.date().month();
  out.day = in.date().day();
  out.available = in.available();
  // Both times unset means the whole day; one set makes the pair validated as times.
  out.whole_day = !in.has_start() && !in.has_end();
  if (!out.whole_day) {
    out.start = FromProto(in.start());
    out.end = FromProto(in.end());
  }
  out.note = in.note();
  return out;
}

void ToProto(absl::Time in, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(in);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest * 1000));
}

absl::Time FromProto(const google::protobuf::Timestamp& in) {
  return absl::FromUnixSeconds(in.seconds()) + absl::Nanoseconds(in.nanos());
}

}  // namespace etnik::hubs::mapping
