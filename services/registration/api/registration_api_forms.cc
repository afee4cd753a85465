// Forms.

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"
#include "services/registration/api/support.h"
#include "services/registration/domain/form_rules.h"
#include "services/registration/store/registration_store.h"

namespace etnik::registration {

using api::Tr;

namespace {

const std::vector<std::string> kFormFields = {"purpose", "title", "description", "questions", "open_time", "close_time"};

absl::Status FormViolations(const v1::Form& form, Language lang) {
  std::vector<FieldViolation> v = ValidateForm(form, lang);
  if (v.empty()) return absl::OkStatus();
  return InvalidArgumentError(Tr(lang, "форма заполнена с ошибками", "the form is not valid"), std::move(v));
}

// Question ids that have answers: in applications and survey responses of the form.
absl::StatusOr<std::set<std::string>> AnsweredQuestions(soci::session& s, const std::string& form_name) {
  std::set<std::string> out;
  absl::StatusOr<std::vector<v1::Application>> apps = store::ApplicationsOfForm(s, form_name);
  if (!apps.ok()) return apps.status();
  for (const v1::Application& a : *apps) {
    for (const v1::Answer& ans : a.answers()) out.insert(ans.question_id());
  }
  absl::StatusOr<int> count = store::CountSurveyResponses(s, form_name);
  if (!count.ok()) return count.status();
  if (*count > 0) {
    absl::StatusOr<std::vector<v1::SurveyResponse>> responses = store::ListSurveyResponses(s, form_name, 0, *count);
    if (!responses.ok()) return responses.status();
    for (const v1::SurveyResponse& r : *responses) {
      for (const v1::Answer& ans : r.answers()) out.insert(ans.question_id());
    }
  }
  return out;
}

// Whether anything answers the form at all.
absl::StatusOr<bool> FormInUse(soci::session& s, const std::string& form_name) {
  absl::StatusOr<std::vector<v1::Application>> apps = store::ApplicationsOfForm(s, form_name);
  if (!apps.ok()) return apps.status();
  if (!apps->empty()) return true;
  absl::StatusOr<int> count = store::CountSurveyResponses(s, form_name);
  if (!count.ok()) return count.status();
  return *count > 0;
}

absl::StatusOr<v1::ListFormsResponse> AllForms(ServiceContext& ctx, const std::string& programme) {
  absl::StatusOr<std::string> bytes =
      api::CachedRead(ctx, api::FormListKey(programme), [&]() -> absl::StatusOr<std::string> {
        v1::ListFormsResponse all;
        bool exists = false;
        absl::Status st = ctx.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
          all.Clear();
          absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, programme);
          if (!p.ok()) return p.status();
          exists = p->has_value();
          absl::StatusOr<std::vector<v1::Form>> forms = store::ListAllForms(s, programme);
          if (!forms.ok()) return forms.status();
          for (v1::Form& f : *forms) *all.add_forms() = std::move(f);
          return absl::OkStatus();
        });
        if (!st.ok()) return st;
        if (!exists) return api::NotFound(programme);
        return all.SerializeAsString();
      });
  if (!bytes.ok()) return bytes.status();
  v1::ListFormsResponse all;
  if (!all.ParseFromString(*bytes)) return absl::DataLossError("a cached form list does not parse");
  return all;
}

}  // namespace

RegistrationApi::Reactor* RegistrationApi::CreateForm(Ctx* ctx, In<v1::CreateFormRequest> req, v1::Form* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<api::ProgrammeRef> parent = api::ParseProgramme(req->parent(), "parent", caller.lang);
    if (!parent.ok()) return parent.status();
    absl::StatusOr<std::string> id = api::ChooseId(req->form_id(), "form_id", caller.lang);
    if (!id.ok()) return id.status();
    if (absl::Status v = FormViolations(req->form(), caller.lang); !v.ok()) return v;
    v1::Form form;
    api::ApplyMask(req->form(), {}, kFormFields, &form, caller.lang).IgnoreError();
    form.set_name(absl::StrCat(parent->name, "/forms/", *id));
    *form.mutable_create_time() = api::ToProto(ctx_.clock.Now());
    *form.mutable_update_time() = form.create_time();
    absl::Status status = api::RunIdempotent(
        ctx_, absl::StrCat("CreateForm:", caller.identity.subject), req->request_id(), resp,
        [&](soci::session& s) -> absl::Status {
          absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, parent->name);
          if (!p.ok()) return p.status();
          if (!p->has_value()) return api::NotFound(parent->name);
          absl::StatusOr<std::optional<v1::Form>> existing = store::LoadForm(s, form.name());
          if (!existing.ok()) return existing.status();
          if (existing->has_value()) {
            return ErrorWithInfo(absl::StatusCode::kAlreadyExists, absl::StrCat(form.name(), " already exists"),
                                 "ALREADY_EXISTS", {{"resource", form.name()}});
          }
          *resp = form;
          return store::InsertForm(s, *resp);
        });
    if (status.ok()) api::Invalidate(ctx_, {api::FormKey(resp->name()), api::FormListKey(parent->name)});
    return status;
  });
}

RegistrationApi::Reactor* RegistrationApi::GetForm(Ctx* ctx, In<v1::GetFormRequest> req, v1::Form* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<api::ChildRef> ref = api::ParseForm(req->name(), "name", caller.lang);
    if (!ref.ok()) return ref.status();
    absl::StatusOr<std::string> bytes = api::CachedRead(ctx_, api::FormKey(ref->name), [&]() -> absl::StatusOr<std::string> {
      std::optional<v1::Form> found;
      absl::Status st = ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
        absl::StatusOr<std::optional<v1::Form>> f = store::LoadForm(s, ref->name);
        if (!f.ok()) return f.status();
        found = *std::move(f);
        return absl::OkStatus();
      });
      if (!st.ok()) return st;
      if (!found) return api::NotFound(ref->name);
      return found->SerializeAsString();
    });
    if (!bytes.ok()) return bytes.status();
    if (!resp->ParseFromString(*bytes)) return absl::DataLossError("a cached form does not parse");
    return absl::OkStatus();
  });
}

RegistrationApi::Reactor* RegistrationApi::ListForms(Ctx* ctx, In<v1::ListFormsRequest> req,
                                                     v1::ListFormsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<api::ProgrammeRef> parent = api::ParseProgramme(req->parent(), "parent", caller.lang);
    if (!parent.ok()) return parent.status();
    absl::StatusOr<api::PageWindow> page = api::ParsePage(
        req->page_size(), req->page_token(), {"forms", parent->name, absl::StrCat(req->purpose())}, caller.lang);
    if (!page.ok()) return page.status();
    absl::StatusOr<v1::ListFormsResponse> all = AllForms(ctx_, parent->name);
    if (!all.ok()) return all.status();
    std::vector<const v1::Form*> matching;
    for (const v1::Form& f : all->forms()) {
      if (req->purpose() == v1::FORM_PURPOSE_UNSPECIFIED || f.purpose() == req->purpose()) matching.push_back(&f);
    }
    for (int i = page->offset; i < static_cast<int>(matching.size()) && i < page->offset + page->limit; ++i) {
      *resp->add_forms() = *matching[i];
    }
    resp->set_next_page_token(api::NextPageToken(*page, static_cast<int>(matching.size())));
    return absl::OkStatus();
  });
}

RegistrationApi::Reactor* RegistrationApi::UpdateForm(Ctx* ctx, In<v1::UpdateFormRequest> req, v1::Form* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseForm(req->form().name(), "form.name", caller.lang);
    if (!ref.ok()) return ref.status();
    absl::Status status = ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::optional<v1::Form>> current = store::LoadForm(s, ref->name);
      if (!current.ok()) return current.status();
      if (!current->has_value()) return api::NotFound(ref->name);
      const v1::Form before = **current;
      if (absl::Status e = api::CheckEtag(req->form().etag(), before.etag(), ref->name); !e.ok()) return e;
      v1::Form after = before;
      if (absl::Status m = api::ApplyMask(req->form(), req->update_mask(), kFormFields, &after, caller.lang); !m.ok()) {
        return m;
      }
      if (absl::Status v = FormViolations(after, caller.lang); !v.ok()) return v;
      // Answers must keep meaning what they meant: questions already answered may not change.
      absl::StatusOr<std::set<std::string>> answered = AnsweredQuestions(s, ref->name);
      if (!answered.ok()) return answered.status();
      std::vector<std::string> touched;
      for (const v1::Question& q : before.questions()) {
        if (!answered->count(q.question_id())) continue;
        const v1::Question* now = nullptr;
        for (const v1::Question& n : after.questions()) {
          if (n.question_id() == q.question_id()) now = &n;
        }
        if (now == nullptr || now->SerializeAsString() != q.SerializeAsString()) touched.push_back(q.question_id());
      }
      if (!touched.empty()) {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             Tr(caller.lang,
                                absl::StrCat("на вопросы уже есть ответы, их нельзя изменить или удалить: ",
                                             absl::StrJoin(touched, ", ")),
                                absl::StrCat("questions already answered cannot be changed or removed: ",
                                             absl::StrJoin(touched, ", "))),
                             "QUESTIONS_ANSWERED", {{"questions", absl::StrJoin(touched, ",")}});
      }
      *after.mutable_update_time() = api::ToProto(ctx_.clock.Now());
      if (absl::Status st = store::SaveForm(s, after); !st.ok()) return st;
      *resp = std::move(after);
      return absl::OkStatus();
    });
    if (status.ok()) api::Invalidate(ctx_, {api::FormKey(ref->name), api::FormListKey(ref->programme)});
    return status;
  });
}

RegistrationApi::Reactor* RegistrationApi::DeleteForm(Ctx* ctx, In<v1::DeleteFormRequest> req, Empty* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseForm(req->name(), "name", caller.lang);
    if (!ref.ok()) return ref.status();
    absl::Status status = ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<std::optional<v1::Form>> current = store::LoadForm(s, ref->name);
      if (!current.ok()) return current.status();
      if (!current->has_value()) return api::NotFound(ref->name);
      if (absl::Status e = api::CheckEtag(req->etag(), (*current)->etag(), ref->name); !e.ok()) return e;
      absl::StatusOr<bool> used = FormInUse(s, ref->name);
      if (!used.ok()) return used.status();
      if (*used) {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             Tr(caller.lang, "на форму уже есть ответы", "the form already has answers"), "FORM_IN_USE",
                             {{"form", ref->name}});
      }
      return store::DeleteForm(s, ref->name);
    });
    if (status.ok()) api::Invalidate(ctx_, {api::FormKey(ref->name), api::FormListKey(ref->programme)});
    return status;
  });
}

}  // namespace etnik::registration
