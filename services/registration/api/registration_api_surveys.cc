// Survey responses and their summary.

#include "absl/strings/str_cat.h"
#include "common/ids/ids.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"
#include "services/registration/api/support.h"
#include "services/registration/domain/answer_rules.h"
#include "services/registration/domain/deadline.h"
#include "services/registration/domain/organisation_rules.h"
#include "services/registration/domain/survey_summary.h"
#include "services/registration/store/registration_store.h"

namespace etnik::registration {

using api::Tr;

namespace {

// The survey form and its programme, or NOT_FOUND / FAILED_PRECONDITION (not a survey).
absl::StatusOr<std::pair<v1::Programme, v1::Form>> LoadSurvey(soci::session& s, const api::ChildRef& ref,
                                                              Language lang) {
  absl::StatusOr<std::optional<v1::Form>> form = store::LoadForm(s, ref.name);
  if (!form.ok()) return form.status();
  if (!form->has_value()) return api::NotFound(ref.name);
  if ((*form)->purpose() != v1::FORM_PURPOSE_SURVEY) {
    return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                         Tr(lang, "форма не является опросом", "the form is not a survey"), "NOT_A_SURVEY",
                         {{"form", ref.name}});
  }
  absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, ref.programme);
  if (!p.ok()) return p.status();
  if (!p->has_value()) return api::NotFound(ref.programme);
  return std::make_pair(**p, **form);
}

}  // namespace

RegistrationApi::Reactor* RegistrationApi::CreateSurveyResponse(Ctx* ctx, In<v1::CreateSurveyResponseRequest> req,
                                                                v1::SurveyResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseForm(req->parent(), "parent", caller.lang);
    if (!ref.ok()) return ref.status();
    const absl::Time now = ctx_.clock.Now();
    return api::RunIdempotent(
        ctx_, absl::StrCat("CreateSurveyResponse:", caller.identity.subject), req->request_id(), resp,
        [&](soci::session& s) -> absl::Status {
          absl::StatusOr<std::pair<v1::Programme, v1::Form>> survey = LoadSurvey(s, *ref, caller.lang);
          if (!survey.ok()) return survey.status();
          const auto& [programme, form] = *survey;
          const v1::SurveyResponse& in = req->survey_response();
          std::vector<FieldViolation> v =
              ValidateOrganisation(in.organisation(), nullptr, "survey_response", caller.lang, false);
          for (FieldViolation& f : ValidateAnswers(form, in.answers(), caller.lang, AnswerCheck::kSubmit)) {
            f.field = absl::StrCat("survey_response.", f.field);
            v.push_back(std::move(f));
          }
          if (!v.empty()) {
            return InvalidArgumentError(Tr(caller.lang, "ответ на опрос заполнен с ошибками",
                                           "the survey response is not valid"),
                                        std::move(v));
          }
          if (api::IsSet(form.open_time()) && now < api::FromProto(form.open_time())) {
            return FormNotOpenError(api::FromProto(form.open_time()), programme.time_zone(), caller.lang);
          }
          if (api::IsSet(form.close_time()) && now > api::FromProto(form.close_time())) {
            return DeadlinePassedError(api::FromProto(form.close_time()), programme.time_zone(), caller.lang);
          }
          v1::SurveyResponse r;
          r.set_name(absl::StrCat(ref->name, "/responses/", NewId()));
          *r.mutable_organisation() = in.organisation();
          *r.mutable_answers() = in.answers();
          *r.mutable_submit_time() = api::ToProto(now);
          if (absl::Status st = store::InsertSurveyResponse(s, r); !st.ok()) return st;
          *resp = std::move(r);
          return absl::OkStatus();
        });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListSurveyResponses(Ctx* ctx, In<v1::ListSurveyResponsesRequest> req,
                                                               v1::ListSurveyResponsesResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseForm(req->parent(), "parent", caller.lang);
    if (!ref.ok()) return ref.status();
    absl::StatusOr<api::PageWindow> page =
        api::ParsePage(req->page_size(), req->page_token(), {"survey_responses", ref->name}, caller.lang);
    if (!page.ok()) return page.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::pair<v1::Programme, v1::Form>> survey = LoadSurvey(s, *ref, caller.lang);
      if (!survey.ok()) return survey.status();
      absl::StatusOr<int> total = store::CountSurveyResponses(s, ref->name);
      if (!total.ok()) return total.status();
      absl::StatusOr<std::vector<v1::SurveyResponse>> items =
          store::ListSurveyResponses(s, ref->name, page->offset, page->limit);
      if (!items.ok()) return items.status();
      for (v1::SurveyResponse& r : *items) *resp->add_survey_responses() = std::move(r);
      resp->set_next_page_token(api::NextPageToken(*page, *total));
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::GetSurveySummary(Ctx* ctx, In<v1::GetSurveySummaryRequest> req,
                                                            v1::SurveySummary* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseForm(req->form(), "form", caller.lang);
    if (!ref.ok()) return ref.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<std::pair<v1::Programme, v1::Form>> survey = LoadSurvey(s, *ref, caller.lang);
      if (!survey.ok()) return survey.status();
      absl::StatusOr<int> total = store::CountSurveyResponses(s, ref->name);
      if (!total.ok()) return total.status();
      absl::StatusOr<std::vector<v1::SurveyResponse>> all = store::ListSurveyResponses(s, ref->name, 0, *total);
      if (!all.ok()) return all.status();
      *resp = SummariseSurvey(survey->second, *all);
      resp->set_form(ref->name);
      return absl::OkStatus();
    });
  });
}

}  // namespace etnik::registration
