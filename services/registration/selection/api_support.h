#ifndef ETNIK_SERVICES_REGISTRATION_SELECTION_API_SUPPORT_H_
#define ETNIK_SERVICES_REGISTRATION_SELECTION_API_SUPPORT_H_

// Small request helpers shared by the review and selection handlers: resource names, pages
// and timestamps.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "services/registration/domain/messages.h"
#include "services/registration/selection/text.h"

namespace etnik::registration::api_support {

inline google::protobuf::Timestamp Ts(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// "programmes/{p}" -> OK; INVALID_ARGUMENT on `field` (described in `lang`) otherwise.
inline absl::Status CheckProgrammeName(absl::string_view name, absl::string_view field, Language lang) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "programmes" || parts[1].empty()) {
    return InvalidArgumentError(RuEn(lang, "неверное имя программы", "bad programme name"),
                                {{std::string(field), RuEn(lang, "имя должно иметь вид programmes/{programme}",
                                                           "must be programmes/{programme}")}});
  }
  return absl::OkStatus();
}

// "programmes/{p}/{collection}/{id}" -> "programmes/{p}"; INVALID_ARGUMENT on `field` otherwise.
// `id` may be "-" only when allow_dash.
inline absl::StatusOr<std::string> ProgrammeOfChild(absl::string_view name, absl::string_view collection,
                                                    absl::string_view field, Language lang, bool allow_dash = false) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "programmes" || parts[1].empty() || parts[2] != collection ||
      parts[3].empty() || (parts[3] == "-" && !allow_dash)) {
    return InvalidArgumentError(
        RuEn(lang, "неверное имя ресурса", absl::StrCat("bad ", collection, " name")),
        {{std::string(field),
          RuEn(lang, absl::StrCat("имя должно иметь вид programmes/{programme}/", collection, "/{id}"),
               absl::StrCat("must be programmes/{programme}/", collection, "/{id}"))}});
  }
  return absl::StrCat("programmes/", parts[1]);
}

struct Page {
  int offset = 0;
  int size = 50;
};

// page_size 0 -> 50, capped at 1000; the token is the offset the previous page ended at.
inline absl::StatusOr<Page> ParsePage(int page_size, const std::string& page_token, Language lang) {
  Page p;
  std::vector<FieldViolation> violations;
  if (page_size < 0) {
    violations.push_back(
        {"page_size", RuEn(lang, "page_size не может быть отрицательным", "page_size must not be negative")});
  }
  p.size = page_size == 0 ? 50 : std::min(page_size, 1000);
  if (!page_token.empty() && (!absl::SimpleAtoi(page_token, &p.offset) || p.offset < 0)) {
    violations.push_back(
        {"page_token", RuEn(lang, "этот токен страницы выдан не нашим сервисом", "not a token this service issued")});
  }
  if (!violations.empty()) {
    return InvalidArgumentError(RuEn(lang, "неверные параметры страницы", "bad page"), std::move(violations));
  }
  return p;
}

// The next token when a page came back full.
inline std::string NextToken(const Page& p, size_t got) {
  return static_cast<int>(got) < p.size ? "" : absl::StrCat(p.offset + p.size);
}

}  // namespace etnik::registration::api_support

#endif  // ETNIK_SERVICES_REGISTRATION_SELECTION_API_SUPPORT_H_
