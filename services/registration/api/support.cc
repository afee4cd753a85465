#include "services/registration/api/support.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/database.h"
#include "common/ids/ids.h"
#include "common/log/log.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "services/registration/store/registration_store.h"

namespace etnik::registration::api {

std::string Tr(Language lang, absl::string_view ru, absl::string_view en) {
  return std::string(lang == Language::kEnglish ? en : ru);
}

absl::Status BadField(Language lang, absl::string_view field, absl::string_view ru, absl::string_view en) {
  std::string description = Tr(lang, ru, en);
  return InvalidArgumentError(description, {{std::string(field), description}});
}

namespace {

absl::Status BadName(absl::string_view field, absl::string_view pattern, Language lang) {
  return BadField(lang, field, absl::StrCat("ожидается имя вида ", pattern),
                  absl::StrCat("expected a name like ", pattern));
}

}  // namespace

absl::StatusOr<ProgrammeRef> ParseProgramme(absl::string_view name, absl::string_view field, Language lang) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "programmes" || !IsValidResourceId(parts[1])) {
    return BadName(field, "programmes/{programme}", lang);
  }
  return ProgrammeRef{std::string(name), std::string(parts[1])};
}

namespace {

absl::StatusOr<ChildRef> ParseChild(absl::string_view name, absl::string_view collection, absl::string_view field,
                                    Language lang) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "programmes" || !IsValidResourceId(parts[1]) || parts[2] != collection ||
      !IsValidResourceId(parts[3])) {
    return BadName(field, absl::StrCat("programmes/{programme}/", collection, "/{id}"), lang);
  }
  return ChildRef{absl::StrCat("programmes/", parts[1]), std::string(name), std::string(parts[3])};
}

}  // namespace

absl::StatusOr<ChildRef> ParseForm(absl::string_view name, absl::string_view field, Language lang) {
  return ParseChild(name, "forms", field, lang);
}

absl::StatusOr<ChildRef> ParseApplication(absl::string_view name, absl::string_view field, Language lang) {
  return ParseChild(name, "applications", field, lang);
}

absl::StatusOr<std::string> ChooseId(absl::string_view requested, absl::string_view field, Language lang) {
  if (requested.empty()) return NewId();
  if (!IsValidResourceId(requested)) {
    return BadField(lang, field, "идентификатор должен соответствовать [a-z][a-z0-9-]{0,62}",
                    "the id must match [a-z][a-z0-9-]{0,62}");
  }
  return std::string(requested);
}

namespace {

std::string Fingerprint(const std::vector<std::string>& parts) {
  uint64_t hash = 1469598103934665603ULL;
  for (const std::string& part : parts) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;
    hash *= 1099511628211ULL;
  }
  return absl::StrCat(hash);
}

}  // namespace

absl::StatusOr<PageWindow> ParsePage(int page_size, absl::string_view token, const std::vector<std::string>& filters,
                                     Language lang) {
  if (page_size < 0) {
    return BadField(lang, "page_size", "размер страницы не может быть отрицательным", "page_size must not be negative");
  }
  PageWindow w;
  w.fingerprint = Fingerprint(filters);
  w.limit = page_size == 0 ? 50 : std::min(page_size, 1000);
  if (token.empty()) return w;
  std::string raw;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(token, &raw)) parts = absl::StrSplit(raw, ':');
  int offset = 0;
  if (parts.size() != 3 || parts[0] != "r1" || !absl::SimpleAtoi(parts[2], &offset) || offset < 0) {
    return BadField(lang, "page_token", "маркер страницы не выдан этим методом",
                    "page_token is not a token this method returned");
  }
  if (parts[1] != w.fingerprint) {
    return BadField(lang, "page_token", "маркер страницы выдан для других фильтров",
                    "page_token was made for other filters");
  }
  w.offset = offset;
  return w;
}

std::string NextPageToken(const PageWindow& window, int total) {
  const int next = window.offset + window.limit;
  if (next >= total) return "";
  std::string token;
  absl::WebSafeBase64Escape(absl::StrCat("r1:", window.fingerprint, ":", next), &token);
  return token;
}

absl::Status CheckEtag(absl::string_view sent, absl::string_view current, absl::string_view resource) {
  if (sent.empty() || sent == current) return absl::OkStatus();
  return ErrorWithInfo(absl::StatusCode::kAborted, absl::StrCat(resource, " has changed since it was read"),
                       "ETAG_MISMATCH", {{"resource", std::string(resource)}, {"etag", std::string(current)}});
}

absl::Status NotFound(absl::string_view resource) {
  return ErrorWithInfo(absl::StatusCode::kNotFound, absl::StrCat(resource, " does not exist"), "NOT_FOUND",
                       {{"resource", std::string(resource)}});
}

absl::StatusOr<bool> RecallResult(soci::session& s, const std::string& scope, const std::string& request_id,
                                  google::protobuf::Message* out) {
  if (request_id.empty()) return false;
  absl::StatusOr<std::optional<std::string>> prior = store::RecallRequest(s, scope, request_id);
  if (!prior.ok()) return prior.status();
  if (!prior->has_value()) return false;
  if (!out->ParseFromString(**prior)) return absl::DataLossError("a stored request result does not parse");
  return true;
}

absl::Status RememberResult(soci::session& s, const std::string& scope, const std::string& request_id,
                            const google::protobuf::Message& result, absl::Time now) {
  if (request_id.empty()) return absl::OkStatus();
  return store::RememberRequest(s, scope, request_id, result.SerializeAsString(), absl::ToUnixMicros(now));
}

absl::StatusOr<v1::Programme> LoadProgrammeOr404(soci::session& s, const std::string& name) {
  absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, name);
  if (!p.ok()) return p.status();
  if (!p->has_value()) return absl::NotFoundError(absl::StrCat(name, " does not exist"));
  return **p;
}

absl::Status RunIdempotent(ServiceContext& ctx, const std::string& scope, const std::string& request_id,
                           google::protobuf::Message* out, const std::function<absl::Status(soci::session&)>& work) {
  absl::Status status = ctx.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    out->Clear();
    absl::StatusOr<bool> recalled = RecallResult(s, scope, request_id, out);
    if (!recalled.ok()) return recalled.status();
    if (*recalled) return absl::OkStatus();
    if (absl::Status st = work(s); !st.ok()) return st;
    return RememberResult(s, scope, request_id, *out, ctx.clock.Now());
  });
  if (status.ok()) ctx.NotifyOutbox();
  return status;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

bool IsSet(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

absl::Status ApplyMask(const google::protobuf::Message& from, const google::protobuf::FieldMask& mask,
                       const std::vector<std::string>& allowed, google::protobuf::Message* to, Language lang) {
  google::protobuf::FieldMask effective;
  if (mask.paths().empty()) {
    for (const std::string& path : allowed) effective.add_paths(path);
  } else {
    for (const std::string& path : mask.paths()) {
      std::string root(absl::string_view(path).substr(0, path.find('.')));
      if (std::find(allowed.begin(), allowed.end(), root) == allowed.end() ||
          !google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(from.GetDescriptor(), path, nullptr)) {
        return BadField(lang, "update_mask", absl::StrCat("поле «", path, "» нельзя изменить"),
                        absl::StrCat("the field \"", path, "\" cannot be updated"));
      }
    }
    effective = mask;
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(from, effective, options, to);
  return absl::OkStatus();
}

std::string ProgrammeKey(absl::string_view programme_name) { return absl::StrCat("programme:", programme_name); }
std::string FormKey(absl::string_view form_name) { return absl::StrCat("form:", form_name); }
std::string FormListKey(absl::string_view programme_name) { return absl::StrCat("forms:", programme_name); }

absl::StatusOr<std::string> CachedRead(ServiceContext& ctx, absl::string_view key,
                                       const std::function<absl::StatusOr<std::string>()>& load) {
  if (ctx.cache == nullptr) return load();
  return ctx.cache->GetOrLoad(key, ctx.cache_ttl, load);
}

void Invalidate(ServiceContext& ctx, const std::vector<std::string>& keys) {
  if (ctx.cache == nullptr) return;
  absl::Status s = ctx.cache->Invalidate(keys);
  if (!s.ok()) log::Warning("cache invalidation deferred", {{"error", std::string(s.message())}});
}

}  // namespace etnik::registration::api
