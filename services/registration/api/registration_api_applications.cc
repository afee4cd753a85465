// Applications: drafts, submission, withdrawal, export.

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/serve.h"
#include "services/registration/api/support.h"
#include "services/registration/domain/answer_rules.h"
#include "services/registration/domain/csv.h"
#include "services/registration/domain/deadline.h"
#include "services/registration/domain/org_ids.h"
#include "services/registration/domain/organisation_rules.h"
#include "services/registration/domain/regions.h"
#include "services/registration/selection/offer_flow.h"
#include "services/registration/store/registration_store.h"

namespace etnik::registration {

using api::Tr;

namespace {

const std::vector<std::string> kApplicationFields = {"form", "organisation", "contact_person", "answers"};

// "answers[q]" -> "application.answers[q]", so every path of a request starts at its root.
std::vector<FieldViolation> Prefixed(std::vector<FieldViolation> v, absl::string_view prefix) {
  for (FieldViolation& f : v) {
    if (!absl::StartsWith(f.field, prefix)) f.field = absl::StrCat(prefix, ".", f.field);
  }
  return v;
}

absl::Status Invalid(std::vector<FieldViolation> v, Language lang) {
  if (v.empty()) return absl::OkStatus();
  return InvalidArgumentError(Tr(lang, "заявка заполнена с ошибками", "the application is not valid"), std::move(v));
}

// The programme and the application form an application is (or will be) written against.
struct Frame {
  v1::Programme programme;
  v1::Form form;
};

absl::StatusOr<Frame> LoadFrame(soci::session& s, const std::string& programme_name, const std::string& form_name,
                                Language lang) {
  Frame f;
  absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, programme_name);
  if (!p.ok()) return p.status();
  if (!p->has_value()) return api::NotFound(programme_name);
  f.programme = **p;
  if (form_name.empty()) {
    absl::StatusOr<std::vector<v1::Form>> forms = store::ListAllForms(s, programme_name);
    if (!forms.ok()) return forms.status();
    for (const v1::Form& form : *forms) {
      if (form.purpose() == v1::FORM_PURPOSE_APPLICATION) {
        f.form = form;
        return f;
      }
    }
    return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                         Tr(lang, "у программы нет анкеты для заявок", "the programme has no application form"),
                         "NO_APPLICATION_FORM", {{"programme", programme_name}});
  }
  if (!absl::StartsWith(form_name, programme_name + "/forms/")) {
    return api::BadField(lang, "application.form", "анкета должна принадлежать программе",
                         "the form must belong to the programme");
  }
  absl::StatusOr<std::optional<v1::Form>> form = store::LoadForm(s, form_name);
  if (!form.ok()) return form.status();
  if (!form->has_value() || (*form)->purpose() != v1::FORM_PURPOSE_APPLICATION) {
    return api::BadField(lang, "application.form", "нет такой анкеты для заявок", "no such application form");
  }
  f.form = **form;
  return f;
}

// The application deadline: the form's close_time, else the end of the selection stage.
std::optional<absl::Time> Deadline(const Frame& f) {
  if (api::IsSet(f.form.close_time())) return api::FromProto(f.form.close_time());
  for (const v1::Stage& st : f.programme.stages()) {
    if (st.kind() == etnik::common::v1::STAGE_KIND_SELECTION && api::IsSet(st.window().end_time())) {
      return api::FromProto(st.window().end_time());
    }
  }
  return std::nullopt;
}

// Edits and submissions are accepted while now <= deadline, and not before the form opens.
absl::Status CheckWindow(const Frame& f, absl::Time now, Language lang) {
  if (api::IsSet(f.form.open_time()) && now < api::FromProto(f.form.open_time())) {
    return FormNotOpenError(api::FromProto(f.form.open_time()), f.programme.time_zone(), lang);
  }
  std::optional<absl::Time> deadline = Deadline(f);
  if (deadline && now > *deadline) return DeadlinePassedError(*deadline, f.programme.time_zone(), lang);
  return absl::OkStatus();
}

// A draft needs the organisation's INN (one application per organisation) and well-formed answers.
std::vector<FieldViolation> DraftViolations(const v1::Application& a, const v1::Form& form, Language lang) {
  std::vector<FieldViolation> v;
  const std::string& inn = a.organisation().inn();
  if (inn.empty()) {
    v.push_back({"application.organisation.inn", Message(MessageKey::kFieldRequired, lang, {{"field", Tr(lang, "ИНН", "INN")}})});
  } else if (!IsValidInn(inn)) {
    v.push_back({"application.organisation.inn", Message(MessageKey::kInvalidInn, lang, {{"value", inn}})});
  }
  for (FieldViolation& f : Prefixed(ValidateAnswers(form, a.answers(), lang, AnswerCheck::kDraft), "application")) {
    v.push_back(std::move(f));
  }
  return v;
}

absl::Status NotDraft(const v1::Application& a, Language lang) {
  return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                       Tr(lang, "заявка уже подана и не может быть изменена",
                          "the application is no longer a draft and cannot be changed"),
                       "APPLICATION_NOT_DRAFT",
                       {{"application", a.name()}, {"state", v1::ApplicationState_Name(a.state())}});
}

// Organisers: every application; the applicant: their own; a reviewer: those assigned to them.
absl::Status CheckCanRead(soci::session& s, const auth::Identity& who, const v1::Application& a) {
  if (IsOrganiser(who) || a.applicant() == who.subject) return absl::OkStatus();
  if (IsReviewer(who)) {
    absl::StatusOr<bool> assigned = store::IsAssignedReviewer(s, a.name(), who.subject);
    if (!assigned.ok()) return assigned.status();
    if (*assigned) return absl::OkStatus();
  }
  return ErrorWithInfo(absl::StatusCode::kPermissionDenied, "the application belongs to another applicant",
                       "NOT_APPLICANT", {{"application", a.name()}});
}

absl::Status CheckCanEdit(const auth::Identity& who, const v1::Application& a) {
  if (IsOrganiser(who) || a.applicant() == who.subject) return absl::OkStatus();
  return ErrorWithInfo(absl::StatusCode::kPermissionDenied, "the application belongs to another applicant",
                       "NOT_APPLICANT", {{"application", a.name()}});
}

absl::StatusOr<v1::Application> LoadExisting(soci::session& s, const std::string& name) {
  absl::StatusOr<std::optional<v1::Application>> a = store::LoadApplication(s, name);
  if (!a.ok()) return a.status();
  if (!a->has_value()) return api::NotFound(name);
  return **a;
}

etnik::events::v1::Person ContactOf(const v1::Application& a) {
  etnik::events::v1::Person p;
  p.set_id(a.applicant());
  p.set_full_name(a.contact_person().full_name());
  *p.mutable_contact() = a.contact_person().contact();
  p.set_time_zone(a.contact_person().time_zone());
  p.set_language(a.contact_person().language());
  return p;
}

}  // namespace

RegistrationApi::Reactor* RegistrationApi::CreateApplication(Ctx* ctx, In<v1::CreateApplicationRequest> req,
                                                             v1::Application* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ProgrammeRef> parent = api::ParseProgramme(req->parent(), "parent", caller.lang);
    if (!parent.ok()) return parent.status();
    absl::StatusOr<std::string> id = api::ChooseId(req->application_id(), "application_id", caller.lang);
    if (!id.ok()) return id.status();
    const absl::Time now = ctx_.clock.Now();
    return api::RunIdempotent(
        ctx_, absl::StrCat("CreateApplication:", caller.identity.subject), req->request_id(), resp,
        [&](soci::session& s) -> absl::Status {
          absl::StatusOr<Frame> frame = LoadFrame(s, parent->name, req->application().form(), caller.lang);
          if (!frame.ok()) return frame.status();
          v1::Application a;
          api::ApplyMask(req->application(), {}, kApplicationFields, &a, caller.lang).IgnoreError();
          a.set_name(absl::StrCat(parent->name, "/applications/", *id));
          a.set_form(frame->form.name());
          if (absl::Status v = Invalid(DraftViolations(a, frame->form, caller.lang), caller.lang); !v.ok()) return v;
          if (absl::Status w = CheckWindow(*frame, now, caller.lang); !w.ok()) return w;
          a.set_state(v1::APPLICATION_STATE_DRAFT);
          a.set_applicant(caller.identity.subject);
          *a.mutable_create_time() = api::ToProto(now);
          *a.mutable_update_time() = a.create_time();
          absl::StatusOr<std::optional<v1::Application>> taken = store::LoadApplication(s, a.name());
          if (!taken.ok()) return taken.status();
          if (taken->has_value()) {
            return ErrorWithInfo(absl::StatusCode::kAlreadyExists, absl::StrCat(a.name(), " already exists"),
                                 "ALREADY_EXISTS", {{"resource", a.name()}});
          }
          if (absl::Status st = store::InsertApplication(s, a); !st.ok()) return st;
          *resp = std::move(a);
          return absl::OkStatus();
        });
  });
}

RegistrationApi::Reactor* RegistrationApi::GetApplication(Ctx* ctx, In<v1::GetApplicationRequest> req,
                                                          v1::Application* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseApplication(req->name(), "name", caller.lang);
    if (!ref.ok()) return ref.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<v1::Application> a = LoadExisting(s, ref->name);
      if (!a.ok()) return a.status();
      if (absl::Status c = CheckCanRead(s, caller.identity, *a); !c.ok()) return c;
      *resp = *std::move(a);
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListApplications(Ctx* ctx, In<v1::ListApplicationsRequest> req,
                                                            v1::ListApplicationsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ProgrammeRef> parent = api::ParseProgramme(req->parent(), "parent", caller.lang);
    if (!parent.ok()) return parent.status();
    store::ApplicationFilter filter;
    filter.programme = parent->name;
    std::vector<std::string> fp = {"applications", parent->name, req->region(), req->reviewer(), req->order_by()};
    for (int st : req->states()) {
      if (!v1::ApplicationState_IsValid(st) || st == v1::APPLICATION_STATE_UNSPECIFIED) {
        return api::BadField(caller.lang, "states", "неизвестное состояние заявки", "unknown application state");
      }
      filter.states.push_back(static_cast<v1::ApplicationState>(st));
      fp.push_back(absl::StrCat(st));
    }
    if (!req->region().empty() && FindRegion(req->region()) == nullptr) {
      return api::BadField(caller.lang, "region", "неизвестный регион", "unknown region");
    }
    filter.region = req->region();
    if (req->order_by().empty() || req->order_by() == "submit_time") {
      filter.order = store::ApplicationFilter::Order::kSubmitTime;
    } else if (req->order_by() == "score desc") {
      filter.order = store::ApplicationFilter::Order::kScoreDesc;
    } else if (req->order_by() == "organisation_name") {
      filter.order = store::ApplicationFilter::Order::kOrganisationName;
    } else {
      return api::BadField(caller.lang, "order_by",
                           "порядок: submit_time, «score desc» или organisation_name",
                           "order_by must be submit_time, \"score desc\" or organisation_name");
    }
    filter.assigned_reviewer = req->reviewer();
    if (!IsOrganiser(caller.identity)) {
      if (IsReviewer(caller.identity)) {
        if (!req->reviewer().empty() && req->reviewer() != caller.identity.subject) {
          return ErrorWithInfo(absl::StatusCode::kPermissionDenied, "reviewers list only their own assignments",
                               "NOT_OWN_ASSIGNMENTS", {{"reviewer", req->reviewer()}});
        }
        filter.assigned_reviewer = caller.identity.subject;
      } else {
        filter.applicant = caller.identity.subject;
      }
      fp.push_back(caller.identity.subject);
    }
    absl::StatusOr<api::PageWindow> page = api::ParsePage(req->page_size(), req->page_token(), fp, caller.lang);
    if (!page.ok()) return page.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, parent->name);
      if (!p.ok()) return p.status();
      if (!p->has_value()) return api::NotFound(parent->name);
      absl::StatusOr<int> total = store::CountApplications(s, filter);
      if (!total.ok()) return total.status();
      absl::StatusOr<std::vector<v1::Application>> items =
          store::ListApplications(s, filter, page->offset, page->limit);
      if (!items.ok()) return items.status();
      for (v1::Application& a : *items) *resp->add_applications() = std::move(a);
      resp->set_total_size(*total);
      resp->set_next_page_token(api::NextPageToken(*page, *total));
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::UpdateApplication(Ctx* ctx, In<v1::UpdateApplicationRequest> req,
                                                             v1::Application* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseApplication(req->application().name(), "application.name", caller.lang);
    if (!ref.ok()) return ref.status();
    const absl::Time now = ctx_.clock.Now();
    return ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<v1::Application> current = LoadExisting(s, ref->name);
      if (!current.ok()) return current.status();
      if (absl::Status c = CheckCanEdit(caller.identity, *current); !c.ok()) return c;
      if (absl::Status e = api::CheckEtag(req->application().etag(), current->etag(), ref->name); !e.ok()) return e;
      if (current->state() != v1::APPLICATION_STATE_DRAFT) return NotDraft(*current, caller.lang);
      v1::Application a = *current;
      if (absl::Status m = api::ApplyMask(req->application(), req->update_mask(), kApplicationFields, &a, caller.lang);
          !m.ok()) {
        return m;
      }
      absl::StatusOr<Frame> frame = LoadFrame(s, ref->programme, a.form(), caller.lang);
      if (!frame.ok()) return frame.status();
      a.set_form(frame->form.name());
      if (absl::Status v = Invalid(DraftViolations(a, frame->form, caller.lang), caller.lang); !v.ok()) return v;
      if (absl::Status w = CheckWindow(*frame, now, caller.lang); !w.ok()) return w;
      *a.mutable_update_time() = api::ToProto(now);
      if (absl::Status st = store::SaveApplication(s, a); !st.ok()) return st;
      *resp = std::move(a);
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::DeleteApplication(Ctx* ctx, In<v1::DeleteApplicationRequest> req,
                                                             Empty* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseApplication(req->name(), "name", caller.lang);
    if (!ref.ok()) return ref.status();
    return ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<v1::Application> current = LoadExisting(s, ref->name);
      if (!current.ok()) return current.status();
      if (absl::Status c = CheckCanEdit(caller.identity, *current); !c.ok()) return c;
      if (absl::Status e = api::CheckEtag(req->etag(), current->etag(), ref->name); !e.ok()) return e;
      if (current->state() != v1::APPLICATION_STATE_DRAFT) return NotDraft(*current, caller.lang);
      return store::DeleteApplication(s, ref->name);
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::SubmitApplication(Ctx* ctx, In<v1::SubmitApplicationRequest> req,
                                                             v1::Application* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseApplication(req->name(), "name", caller.lang);
    if (!ref.ok()) return ref.status();
    const absl::Time now = ctx_.clock.Now();
    return api::RunIdempotent(
        ctx_, absl::StrCat("SubmitApplication:", ref->name), req->request_id(), resp,
        [&](soci::session& s) -> absl::Status {
          absl::StatusOr<v1::Application> a = LoadExisting(s, ref->name);
          if (!a.ok()) return a.status();
          if (absl::Status c = CheckCanEdit(caller.identity, *a); !c.ok()) return c;
          if (absl::Status e = api::CheckEtag(req->etag(), a->etag(), ref->name); !e.ok()) return e;
          if (a->state() != v1::APPLICATION_STATE_DRAFT) return NotDraft(*a, caller.lang);
          absl::StatusOr<Frame> frame = LoadFrame(s, ref->programme, a->form(), caller.lang);
          if (!frame.ok()) return frame.status();
          if (absl::Status w = CheckWindow(*frame, now, caller.lang); !w.ok()) return w;
          std::vector<FieldViolation> v =
              ValidateOrganisation(a->organisation(), &a->contact_person(), "application", caller.lang, true);
          for (FieldViolation& f :
               Prefixed(ValidateAnswers(frame->form, a->answers(), caller.lang, AnswerCheck::kSubmit), "application")) {
            v.push_back(std::move(f));
          }
          if (absl::Status st = Invalid(std::move(v), caller.lang); !st.ok()) return st;
          a->set_state(v1::APPLICATION_STATE_SUBMITTED);
          *a->mutable_submit_time() = api::ToProto(now);
          *a->mutable_update_time() = a->submit_time();
          if (absl::Status st = store::SaveApplication(s, *a); !st.ok()) return st;
          etnik::events::v1::DomainEvent event;
          auto* e = event.mutable_application_submitted();
          e->set_application(a->name());
          e->set_programme(ref->programme);
          e->set_organisation_name(a->organisation().full_name());
          e->set_organisation_inn(a->organisation().inn());
          e->set_region(a->organisation().region());
          *e->mutable_contact_person() = ContactOf(*a);
          *e->mutable_submit_time() = a->submit_time();
          if (absl::Status st = EnqueueEvent(s, ctx_, caller, a->name(), std::move(event)); !st.ok()) return st;
          *resp = *std::move(a);
          return absl::OkStatus();
        });
  });
}

RegistrationApi::Reactor* RegistrationApi::WithdrawApplication(Ctx* ctx, In<v1::WithdrawApplicationRequest> req,
                                                               v1::Application* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(caller.identity); !s.ok()) return s;
    absl::StatusOr<api::ChildRef> ref = api::ParseApplication(req->name(), "name", caller.lang);
    if (!ref.ok()) return ref.status();
    if (req->reason().size() > 2000) {
      return api::BadField(caller.lang, "reason", "причина длиннее 2000 байт", "the reason is longer than 2000 bytes");
    }
    const absl::Time now = ctx_.clock.Now();
    return api::RunIdempotent(
        ctx_, absl::StrCat("WithdrawApplication:", ref->name), req->request_id(), resp,
        [&](soci::session& s) -> absl::Status {
          absl::StatusOr<v1::Application> a = LoadExisting(s, ref->name);
          if (!a.ok()) return a.status();
          if (absl::Status c = CheckCanEdit(caller.identity, *a); !c.ok()) return c;
          if (absl::Status e = api::CheckEtag(req->etag(), a->etag(), ref->name); !e.ok()) return e;
          switch (a->state()) {
            case v1::APPLICATION_STATE_DRAFT:
            case v1::APPLICATION_STATE_SUBMITTED:
            case v1::APPLICATION_STATE_UNDER_REVIEW:
            case v1::APPLICATION_STATE_SELECTED:
            case v1::APPLICATION_STATE_WAITLISTED:
              break;
            default:
              return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                                   Tr(caller.lang, "заявку в этом состоянии нельзя отозвать",
                                      "an application in this state cannot be withdrawn"),
                                   "APPLICATION_NOT_WITHDRAWABLE",
                                   {{"application", a->name()}, {"state", v1::ApplicationState_Name(a->state())}});
          }
          const bool held_offer = a->state() == v1::APPLICATION_STATE_SELECTED;
          a->set_state(v1::APPLICATION_STATE_WITHDRAWN);
          *a->mutable_update_time() = api::ToProto(now);
          if (absl::Status st = store::SaveApplication(s, *a); !st.ok()) return st;
          if (held_offer) {
            // Its seat must not stay blocked by an offer nobody will answer.
            absl::StatusOr<std::optional<v1::Programme>> programme = store::LoadProgramme(s, ref->programme);
            if (!programme.ok()) return programme.status();
            if (programme->has_value()) {
              absl::Status released = ReleaseOfferOfWithdrawn(s, **programme, *a, now,
                                                               FlowActor{caller.identity.subject, req->request_id()});
              if (!released.ok()) return released;
            }
          }
          *resp = *std::move(a);
          return absl::OkStatus();
        });
  });
}

namespace {

std::string AnswerCell(const v1::Question& q, const v1::Answer& a, Language lang) {
  switch (a.value_case()) {
    case v1::Answer::kText:
      if (q.type() == v1::QUESTION_TYPE_REGION) {
        const Region* r = FindRegion(a.text());
        if (r != nullptr) return lang == Language::kEnglish ? r->name_en : r->name_ru;
      }
      return a.text();
    case v1::Answer::kNumber:
      return absl::StrCat(a.number());
    case v1::Answer::kYesNo:
      return a.yes_no() ? Tr(lang, "да", "yes") : Tr(lang, "нет", "no");
    case v1::Answer::kChoices: {
      std::vector<std::string> labels;
      for (const std::string& value : a.choices().values()) {
        std::string label = value;
        for (const v1::Choice& c : q.choices()) {
          if (c.value() == value) {
            std::string l = Localized(c.label(), lang);
            if (!l.empty()) label = l;
          }
        }
        labels.push_back(label);
      }
      return absl::StrJoin(labels, "; ");
    }
    case v1::Answer::VALUE_NOT_SET:
      break;
  }
  return "";
}

std::string StateLabel(v1::ApplicationState st, Language lang) {
  switch (st) {
    case v1::APPLICATION_STATE_DRAFT: return Tr(lang, "черновик", "draft");
    case v1::APPLICATION_STATE_SUBMITTED: return Tr(lang, "подана", "submitted");
    case v1::APPLICATION_STATE_UNDER_REVIEW: return Tr(lang, "на экспертизе", "under review");
    case v1::APPLICATION_STATE_SELECTED: return Tr(lang, "отобрана", "selected");
    case v1::APPLICATION_STATE_WAITLISTED: return Tr(lang, "в листе ожидания", "waitlisted");
    case v1::APPLICATION_STATE_REJECTED: return Tr(lang, "отклонена", "rejected");
    case v1::APPLICATION_STATE_CONFIRMED: return Tr(lang, "участник", "confirmed");
    case v1::APPLICATION_STATE_DECLINED: return Tr(lang, "отказ", "declined");
    case v1::APPLICATION_STATE_EXPIRED: return Tr(lang, "срок ответа истёк", "expired");
    case v1::APPLICATION_STATE_WITHDRAWN: return Tr(lang, "отозвана", "withdrawn");
    default: return "";
  }
}

}  // namespace

RegistrationApi::Reactor* RegistrationApi::ExportApplications(Ctx* ctx, In<v1::ExportApplicationsRequest> req,
                                                              v1::ExportApplicationsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !s.ok()) return s;
    absl::StatusOr<api::ProgrammeRef> parent = api::ParseProgramme(req->parent(), "parent", caller.lang);
    if (!parent.ok()) return parent.status();
    const Language lang =
        req->language() == etnik::common::v1::LANGUAGE_UNSPECIFIED ? caller.lang : LanguageFromProto(req->language());
    store::ApplicationFilter filter;
    filter.programme = parent->name;
    for (int st : req->states()) {
      if (!v1::ApplicationState_IsValid(st) || st == v1::APPLICATION_STATE_UNSPECIFIED) {
        return api::BadField(caller.lang, "states", "неизвестное состояние заявки", "unknown application state");
      }
      filter.states.push_back(static_cast<v1::ApplicationState>(st));
    }
    filter.exclude_drafts = filter.states.empty();
    filter.order = store::ApplicationFilter::Order::kSubmitTime;
    std::vector<v1::Application> apps;
    std::vector<v1::Form> forms;
    std::string zone;
    absl::Status status = ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<std::optional<v1::Programme>> p = store::LoadProgramme(s, parent->name);
      if (!p.ok()) return p.status();
      if (!p->has_value()) return api::NotFound(parent->name);
      zone = (*p)->time_zone();
      absl::StatusOr<std::vector<v1::Form>> all_forms = store::ListAllForms(s, parent->name);
      if (!all_forms.ok()) return all_forms.status();
      forms.clear();
      for (v1::Form& f : *all_forms) {
        if (f.purpose() == v1::FORM_PURPOSE_APPLICATION) forms.push_back(std::move(f));
      }
      absl::StatusOr<int> total = store::CountApplications(s, filter);
      if (!total.ok()) return total.status();
      absl::StatusOr<std::vector<v1::Application>> list = store::ListApplications(s, filter, 0, *total);
      if (!list.ok()) return list.status();
      apps = *std::move(list);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;

    // One column per question of the programme's application forms, in form order.
    std::vector<const v1::Question*> questions;
    std::set<std::string> seen;
    for (const v1::Form& f : forms) {
      for (const v1::Question& q : f.questions()) {
        if (seen.insert(q.question_id()).second) questions.push_back(&q);
      }
    }
    std::vector<std::string> header = {
        Tr(lang, "Заявка", "Application"),         Tr(lang, "Состояние", "State"),
        Tr(lang, "Балл", "Score"),                  Tr(lang, "Подана", "Submitted"),
        Tr(lang, "Организация", "Organisation"),    Tr(lang, "Краткое наименование", "Short name"),
        Tr(lang, "ИНН", "INN"),                     Tr(lang, "ОГРН", "OGRN"),
        Tr(lang, "Регион", "Region"),               Tr(lang, "Населённый пункт", "City"),
        Tr(lang, "Контактное лицо", "Contact person"), Tr(lang, "Электронная почта", "E-mail"),
        Tr(lang, "Телефон", "Phone")};
    for (const v1::Question* q : questions) {
      std::string text = Localized(q->text(), lang);
      header.push_back(text.empty() ? q->question_id() : text);
    }
    // The byte order mark makes spreadsheets read the file as UTF-8 (Cyrillic).
    std::string csv = absl::StrCat(kUtf8Bom, CsvLine(header));
    for (const v1::Application& a : apps) {
      const Region* region = FindRegion(a.organisation().region());
      std::vector<std::string> row = {
          a.name(),
          StateLabel(a.state(), lang),
          absl::StrCat(a.score()),
          api::IsSet(a.submit_time()) ? Rfc3339InZone(api::FromProto(a.submit_time()), zone) : "",
          a.organisation().full_name(),
          a.organisation().short_name(),
          a.organisation().inn(),
          a.organisation().ogrn(),
          region != nullptr ? (lang == Language::kEnglish ? region->name_en : region->name_ru)
                            : a.organisation().region(),
          a.organisation().city(),
          a.contact_person().full_name(),
          a.contact_person().contact().email(),
          a.contact_person().contact().phone()};
      for (const v1::Question* q : questions) {
        std::string cell;
        for (const v1::Answer& ans : a.answers()) {
          if (ans.question_id() == q->question_id()) cell = AnswerCell(*q, ans, lang);
        }
        row.push_back(std::move(cell));
      }
      csv += CsvLine(row);
    }
    resp->set_csv_data(std::move(csv));
    resp->set_content_type("text/csv; charset=utf-8");
    resp->set_filename(absl::StrCat(parent->id, "-applications.csv"));
    resp->set_row_count(static_cast<int>(apps.size()));
    return absl::OkStatus();
  });
}

}  // namespace etnik::registration
