// Programmes and their stages.

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/ids/ids.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"
#include "services/registration/api/support.h"
#include "services/registration/domain/formats.h"
#include "services/registration/store/registration_store.h"

namespace etnik::registration {

using api::Tr;

namespace {

const std::vector<std::string> kProgrammeFields = {"title",          "description",       "time_zone",
                                                   "stages",         "seats",             "review_criteria",
                                                   "score_aggregation", "offer_reply_duration"};

// Every problem of a programme's writable fields, paths under "programme.".
std::vector<FieldViolation> ValidateProgramme(const v1::Programme& p, Language lang) {
  std::vector<FieldViolation> out;
  auto add = [&](std::string field, absl::string_view ru, absl::string_view en) {
    out.push_back({std::move(field), Tr(lang, ru, en)});
  };
  if (p.title().ru().empty() && p.title().en().empty()) {
    add("programme.title", "укажите название программы", "the programme needs a title");
  }
  if (p.time_zone().empty()) {
    add("programme.time_zone", "укажите часовой пояс IANA, например Europe/Moscow",
        "a time zone is required, for example Europe/Moscow");
  } else if (!IsValidTimeZone(p.time_zone())) {
    out.push_back({"programme.time_zone", Message(MessageKey::kInvalidTimeZone, lang, {{"value", p.time_zone()}})});
  }
  if (p.seats() <= 0) add("programme.seats", "число мест должно быть больше нуля", "seats must be greater than zero");
  std::set<std::string> stage_ids;
  const v1::Stage* previous = nullptr;
  for (int i = 0; i < p.stages_size(); ++i) {
    const v1::Stage& st = p.stages(i);
    const std::string path = absl::StrCat("programme.stages[", i, "]");
    if (!IsValidResourceId(st.stage_id())) {
      add(path + ".stage_id", "идентификатор этапа должен соответствовать [a-z][a-z0-9-]{0,62}",
          "stage_id must match [a-z][a-z0-9-]{0,62}");
    } else if (!stage_ids.insert(st.stage_id()).second) {
      add(path + ".stage_id", "идентификатор этапа повторяется", "stage_id is repeated");
    }
    if (st.kind() == etnik::common::v1::STAGE_KIND_UNSPECIFIED) {
      add(path + ".kind", "укажите вид этапа", "the stage kind is required");
    }
    const auto& w = st.window();
    if (!api::IsSet(w.start_time()) || !api::IsSet(w.end_time())) {
      add(path + ".window", "укажите начало и конец этапа", "the stage window needs a start and an end");
      continue;
    }
    if (api::FromProto(w.start_time()) >= api::FromProto(w.end_time())) {
      add(path + ".window", "этап должен заканчиваться позже, чем начинается", "the stage must end after it starts");
      continue;
    }
    if (previous != nullptr && api::FromProto(w.start_time()) < api::FromProto(previous->window().end_time())) {
      add(path + ".window", "этапы идут по порядку и не пересекаются",
          "stages must be in chronological order and must not overlap");
    }
    previous = &st;
    for (int t = 0; t < st.targets_size(); ++t) {
      if (st.targets(t).metric() == etnik::common::v1::TARGET_METRIC_UNSPECIFIED || st.targets(t).value() < 0) {
        add(absl::StrCat(path, ".targets[", t, "]"), "у цели должны быть показатель и неотрицательное значение",
            "a target needs a metric and a value of 0 or more");
      }
    }
  }
  std::set<std::string> criteria;
  for (int i = 0; i < p.review_criteria_size(); ++i) {
    const v1::ReviewCriterion& c = p.review_criteria(i);
    const std::string path = absl::StrCat("programme.review_criteria[", i, "]");
    if (c.criterion_id().empty() || !criteria.insert(c.criterion_id()).second) {
      add(path + ".criterion_id", "идентификатор критерия пуст или повторяется", "criterion_id is empty or repeated");
    }
    if (!(c.weight() > 0)) add(path + ".weight", "вес критерия должен быть больше нуля", "the weight must be above zero");
    if (c.max_score() <= 0) {
      add(path + ".max_score", "максимальный балл должен быть больше нуля", "max_score must be above zero");
    }
  }
  if (p.offer_reply_duration().seconds() < 0) {
    add("programme.offer_reply_duration", "срок ответа не может быть отрицательным",
        "the reply duration must not be negative");
  }
  return out;
}

absl::Status Violations(std::vector<FieldViolation> v, Language lang) {
  if (v.empty()) return absl::OkStatus();
  return InvalidArgumentError(Tr(lang, "программа заполнена с ошибками", "the programme is not valid"), std::move(v));
}

// ProgrammeStageChanged for each stage added, changed or removed between `before` and `after`.
absl::Status EnqueueStageChanges(soci::session& s, ServiceContext& ctx, const Caller& caller,
                                 const v1::Programme* before, const v1::Programme& after) {
  std::map<std::string, const v1::Stage*> old_stages;
  if (before != nullptr) {
    for (const v1::Stage& st : before->stages()) old_stages[st.stage_id()] = &st;
  }
  auto emit = [&](const v1::Stage& st, bool removed) -> absl::Status {
    etnik::events::v1::DomainEvent event;
    auto* e = event.mutable_programme_stage_changed();
    e->set_programme(after.name());
    *e->mutable_programme_title() = after.title();
    e->set_time_zone(after.time_zone());
    e->set_stage(absl::StrCat(after.name(), "/stages/", st.stage_id()));
    e->set_kind(st.kind());
    *e->mutable_title() = st.title();
    *e->mutable_window() = st.window();
    *e->mutable_targets() = st.targets();
    e->set_removed(removed);
    return EnqueueEvent(s, ctx, caller, after.name(), std::move(event));
  };
  const bool programme_changed =
      before != nullptr && (before->time_zone() != after.time_zone() ||
                            before->title().SerializeAsString() != after.title().SerializeAsString());
  for (const v1::Stage& st : after.stages()) {
    auto it = old_stages.find(st.stage_id());
    const bool changed = it == old_stages.end() || programme_changed ||
                         it->second->SerializeAsString() != st.SerializeAsString();
    if (it != old_stages.end()) old_stages.erase(it);
    if (changed) {
      if (absl::Status e = emit(st, false); !e.ok()) return e;
    }
  }
  for (const auto& [id, st] : old_stages) {
    if (absl::Status e = emit(*st, true); !e.ok()) return e;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Programme> ReadProgramme(ServiceContext& ctx, const std::string& name) {
  absl::StatusOr<std::string> bytes = api::CachedRead(ctx, api::ProgrammeKey(name), [&]() -> absl::StatusOr<std::string> {
    std::optional<v1::Programme> found;
    absl::Status st = ctx.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, name);
      if (!p.ok()) return p.status();
      found = *std::move(p);
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    if (!found) return api::NotFound(name);
    return found->SerializeAsString();
  });
  if (!bytes.ok()) return bytes.status();
  v1::Programme p;
  if (!p.ParseFromString(*bytes)) return absl::DataLossError("a cached programme does not parse");
  return p;
}

}  // namespace

RegistrationApi::Reactor* RegistrationApi::CreateProgramme(Ctx* ctx, In<v1::CreateProgrammeRequest> req,
                                                           v1::Programme* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<std::string> id = api::ChooseId(req->programme_id(), "programme_id", caller.lang);
    if (!id.ok()) return id.status();
    if (absl::Status s = Violations(ValidateProgramme(req->programme(), caller.lang), caller.lang); !s.ok()) return s;
    v1::Programme p;
    api::ApplyMask(req->programme(), {}, kProgrammeFields, &p, caller.lang).IgnoreError();
    p.set_name(absl::StrCat("programmes/", *id));
    *p.mutable_create_time() = api::ToProto(ctx_.clock.Now());
    *p.mutable_update_time() = p.create_time();
    absl::Status status = api::RunIdempotent(
        ctx_, absl::StrCat("CreateProgramme:", caller.identity.subject), req->request_id(), resp,
        [&](soci::session& s) -> absl::Status {
          absl::StatusOr<std::optional<v1::Programme>> existing = store::LoadProgramme(s, p.name());
          if (!existing.ok()) return existing.status();
          if (existing->has_value()) {
            return ErrorWithInfo(absl::StatusCode::kAlreadyExists, absl::StrCat(p.name(), " already exists"),
                                 "ALREADY_EXISTS", {{"resource", p.name()}});
          }
          *resp = p;
          if (absl::Status st = store::InsertProgramme(s, *resp); !st.ok()) return st;
          return EnqueueStageChanges(s, ctx_, caller, nullptr, *resp);
        });
    if (status.ok()) api::Invalidate(ctx_, {api::ProgrammeKey(resp->name()), api::kProgrammeListKey});
    return status;
  });
}

RegistrationApi::Reactor* RegistrationApi::GetProgramme(Ctx* ctx, In<v1::GetProgrammeRequest> req,
                                                        v1::Programme* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<api::ProgrammeRef> ref = api::ParseProgramme(req->name(), "name", caller.lang);
    if (!ref.ok()) return ref.status();
    absl::StatusOr<v1::Programme> p = ReadProgramme(ctx_, ref->name);
    if (!p.ok()) return p.status();
    *resp = *std::move(p);
    return absl::OkStatus();
  });
}

RegistrationApi::Reactor* RegistrationApi::ListProgrammes(Ctx* ctx, In<v1::ListProgrammesRequest> req,
                                                          v1::ListProgrammesResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<api::PageWindow> page = api::ParsePage(req->page_size(), req->page_token(), {"programmes"},
                                                          caller.lang);
    if (!page.ok()) return page.status();
    // Programmes are few: the whole list is one cached value, paged here.
    absl::StatusOr<std::string> bytes = api::CachedRead(ctx_, api::kProgrammeListKey, [&]() -> absl::StatusOr<std::string> {
      v1::ListProgrammesResponse all;
      absl::Status st = ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
        all.Clear();
        absl::StatusOr<std::vector<v1::Programme>> list = store::ListAllProgrammes(s);
        if (!list.ok()) return list.status();
        for (v1::Programme& p : *list) *all.add_programmes() = std::move(p);
        return absl::OkStatus();
      });
      if (!st.ok()) return st;
      return all.SerializeAsString();
    });
    if (!bytes.ok()) return bytes.status();
    v1::ListProgrammesResponse all;
    if (!all.ParseFromString(*bytes)) return absl::DataLossError("a cached programme list does not parse");
    for (int i = page->offset; i < all.programmes_size() && i < page->offset + page->limit; ++i) {
      *resp->add_programmes() = all.programmes(i);
    }
    resp->set_next_page_token(api::NextPageToken(*page, all.programmes_size()));
    return absl::OkStatus();
  });
}

RegistrationApi::Reactor* RegistrationApi::UpdateProgramme(Ctx* ctx, In<v1::UpdateProgrammeRequest> req,
                                                           v1::Programme* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<api::ProgrammeRef> ref = api::ParseProgramme(req->programme().name(), "programme.name", caller.lang);
    if (!ref.ok()) return ref.status();
    absl::Status status = ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::optional<v1::Programme>> current = store::LoadProgramme(s, ref->name);
      if (!current.ok()) return current.status();
      if (!current->has_value()) return api::NotFound(ref->name);
      const v1::Programme before = **current;
      if (absl::Status e = api::CheckEtag(req->programme().etag(), before.etag(), ref->name); !e.ok()) return e;
      v1::Programme after = before;
      if (absl::Status m = api::ApplyMask(req->programme(), req->update_mask(), kProgrammeFields, &after, caller.lang);
          !m.ok()) {
        return m;
      }
      if (absl::Status v = Violations(ValidateProgramme(after, caller.lang), caller.lang); !v.ok()) return v;
      *after.mutable_update_time() = api::ToProto(ctx_.clock.Now());
      if (absl::Status st = store::SaveProgramme(s, after); !st.ok()) return st;
      if (absl::Status st = EnqueueStageChanges(s, ctx_, caller, &before, after); !st.ok()) return st;
      *resp = std::move(after);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    ctx_.NotifyOutbox();
    api::Invalidate(ctx_, {api::ProgrammeKey(ref->name), api::kProgrammeListKey});
    return absl::OkStatus();
  });
}

}  // namespace etnik::registration
