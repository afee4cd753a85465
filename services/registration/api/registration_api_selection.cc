// Selection runs, offers, participants and registration progress.

#include <map>

#include "absl/strings/str_cat.h"
#include "common/auth/identity.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "google/protobuf/util/time_util.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/support.h"
#include "services/registration/api/serve.h"
#include "services/registration/selection/api_support.h"
#include "services/registration/selection/offer_flow.h"
#include "services/registration/selection/selection.h"
#include "services/registration/store/registration_store.h"
#include "services/registration/store/selection_store.h"

namespace etnik::registration {

namespace ev = etnik::events::v1;
using api_support::CheckProgrammeName;
using api_support::ProgrammeOfChild;
using api_support::Ts;

namespace {

FlowActor ActorOf(const Caller& caller) { return FlowActor{caller.identity.subject, caller.request_id}; }

// Writes the committed run's decisions: states, offers, the waiting list and events.
absl::Status CommitDecisions(soci::session& s, const v1::Programme& programme, const v1::SelectionRun& run,
                             std::map<std::string, v1::Application>& apps, absl::Time now, const FlowActor& actor) {
  for (const v1::SelectionDecision& d : run.decisions()) {
    v1::Application& a = apps.at(d.application());
    ev::DomainEvent event;
    if (d.outcome() == v1::SELECTION_OUTCOME_SELECTED) {
      absl::StatusOr<v1::Offer> offer = MakeOffer(s, programme, a, now, /*from_waitlist=*/false, actor);
      if (!offer.ok()) return offer.status();
      ev::ApplicationSelected* e = event.mutable_application_selected();
      e->set_application(a.name());
      e->set_programme(programme.name());
      e->set_organisation_name(a.organisation().full_name());
      *e->mutable_contact_person() = PersonOf(a);
      e->set_selection_run(run.name());
      e->set_rank(d.rank());
      e->set_score(d.score());
    } else {
      const bool waitlisted = d.outcome() == v1::SELECTION_OUTCOME_WAITLISTED;
      a.set_state(waitlisted ? v1::APPLICATION_STATE_WAITLISTED : v1::APPLICATION_STATE_REJECTED);
      *a.mutable_update_time() = Ts(now);
      if (absl::Status st = store::SaveApplication(s, a); !st.ok()) return st;
      if (waitlisted) {
        if (absl::Status st = store::AddToWaitlist(s, programme.name(), a.name(), d.waitlist_position()); !st.ok()) {
          return st;
        }
        ev::ApplicationWaitlisted* e = event.mutable_application_waitlisted();
        e->set_application(a.name());
        e->set_programme(programme.name());
        e->set_organisation_name(a.organisation().full_name());
        *e->mutable_contact_person() = PersonOf(a);
        e->set_selection_run(run.name());
        e->set_waitlist_position(d.waitlist_position());
        e->set_score(d.score());
      } else {
        ev::ApplicationRejected* e = event.mutable_application_rejected();
        e->set_application(a.name());
        e->set_programme(programme.name());
        e->set_organisation_name(a.organisation().full_name());
        *e->mutable_contact_person() = PersonOf(a);
        e->set_selection_run(run.name());
        e->set_score(d.score());
      }
    }
    if (absl::Status st = EmitEvent(s, now, actor, a.name(), std::move(event)); !st.ok()) return st;
  }
  return absl::OkStatus();
}

bool CanReadParticipants(const auth::Identity& who) {
  return IsOrganiser(who) || auth::HasRole(who, auth::Role::kService);
}

}  // namespace

RegistrationApi::Reactor* RegistrationApi::RunSelection(Ctx* ctx, In<v1::RunSelectionRequest> req,
                                                        v1::SelectionRun* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !st.ok()) return st;
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    const bool preview = req->selection_run().preview();
    const std::string scope = absl::StrCat("RunSelection:", caller.identity.subject);
    const absl::Time now = ctx_.clock.Now();
    absl::Status status = ctx_.db.InTransaction(
        preview ? db::TxMode::kRead : db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
          resp->Clear();
          if (!preview) {
            absl::StatusOr<bool> replay = api::RecallResult(s, scope, req->request_id(), resp);
            if (!replay.ok() || *replay) return replay.status();
          }
          absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, req->parent());
          if (!programme.ok()) return programme.status();
          if (absl::Status st = ValidateSelectionRun(req->selection_run(), programme->seats(), caller.lang);
              !st.ok()) {
            return st;
          }
          if (!preview) {
            // One committed run per programme: later seats move through the waiting list.
            absl::StatusOr<std::vector<v1::SelectionRun>> runs = store::ListSelectionRuns(s, req->parent(), 0, 1);
            if (!runs.ok()) return runs.status();
            if (!runs->empty()) {
              return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                                   RuEn(caller.lang,
                                        "отбор по этой программе уже зафиксирован; освободившиеся места "
                                        "распределяются через лист ожидания",
                                        "the selection of this programme is already committed; freed seats go to the "
                                        "waiting list"),
                                   "SELECTION_ALREADY_COMMITTED", {{"selection_run", runs->front().name()}});
            }
          }
          store::ApplicationFilter f;
          f.programme = req->parent();
          f.states = {v1::APPLICATION_STATE_SUBMITTED, v1::APPLICATION_STATE_UNDER_REVIEW};
          absl::StatusOr<std::vector<v1::Application>> rows = store::ListApplications(s, f, 0, 1 << 20);
          if (!rows.ok()) return rows.status();
          std::map<std::string, v1::Application> apps;
          std::vector<Candidate> candidates;
          for (v1::Application& a : *rows) {
            candidates.push_back(CandidateOf(a));
            apps.emplace(a.name(), std::move(a));
          }
          const SelectionSettings settings = SettingsOf(req->selection_run(), programme->seats());
          SelectionResult result = Select(std::move(candidates), settings);
          v1::SelectionRun& run = *resp;
          run.set_name(absl::StrCat(req->parent(), "/selectionRuns/", NewId()));
          run.set_seats(settings.seats);
          *run.mutable_quotas() = req->selection_run().quotas();
          run.set_min_score(settings.min_score);
          run.set_waitlist_size(settings.waitlist_size);
          run.set_preview(preview);
          for (v1::SelectionDecision& d : result.decisions) *run.add_decisions() = std::move(d);
          run.set_tie_break(kTieBreak);
          run.set_creator(caller.identity.subject);
          *run.mutable_create_time() = Ts(now);
          if (preview) return absl::OkStatus();
          if (absl::Status st = store::InsertSelectionRun(s, req->parent(), run); !st.ok()) return st;
          if (absl::Status st = CommitDecisions(s, *programme, run, apps, now, ActorOf(caller)); !st.ok()) return st;
          return api::RememberResult(s, scope, req->request_id(), run, now);
        });
    if (status.ok() && !preview) ctx_.NotifyOutbox();
    return status;
  });
}

RegistrationApi::Reactor* RegistrationApi::GetSelectionRun(Ctx* ctx, In<v1::GetSelectionRunRequest> req,
                                                           v1::SelectionRun* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !st.ok()) return st;
    absl::StatusOr<std::string> programme = ProgrammeOfChild(req->name(), "selectionRuns", "name", caller.lang);
    if (!programme.ok()) return programme.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<std::optional<v1::SelectionRun>> run = store::LoadSelectionRun(s, req->name());
      if (!run.ok()) return run.status();
      if (!run->has_value()) return absl::NotFoundError(absl::StrCat(req->name(), " does not exist"));
      *resp = **run;
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListSelectionRuns(Ctx* ctx, In<v1::ListSelectionRunsRequest> req,
                                                             v1::ListSelectionRunsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !st.ok()) return st;
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    absl::StatusOr<api_support::Page> page = api_support::ParsePage(req->page_size(), req->page_token(), caller.lang);
    if (!page.ok()) return page.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::vector<v1::SelectionRun>> runs =
          store::ListSelectionRuns(s, req->parent(), page->offset, page->size);
      if (!runs.ok()) return runs.status();
      for (auto& r : *runs) *resp->add_selection_runs() = std::move(r);
      resp->set_next_page_token(api_support::NextToken(*page, resp->selection_runs_size()));
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::GetOffer(Ctx* ctx, In<v1::GetOfferRequest> req, v1::Offer* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireAuthenticated(caller.identity); !st.ok()) return st;
    absl::StatusOr<std::string> programme = ProgrammeOfChild(req->name(), "offers", "name", caller.lang);
    if (!programme.ok()) return programme.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<std::optional<v1::Offer>> offer = store::LoadOffer(s, req->name());
      if (!offer.ok()) return offer.status();
      if (!offer->has_value()) return absl::NotFoundError(absl::StrCat(req->name(), " does not exist"));
      if (!IsOrganiser(caller.identity)) {
        absl::StatusOr<std::optional<v1::Application>> a = store::LoadApplication(s, (*offer)->application());
        if (!a.ok()) return a.status();
        if (!a->has_value() || (*a)->applicant() != caller.identity.subject) {
          return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                               RuEn(caller.lang, "заявитель может видеть только свои предложения",
                                    "an applicant sees only their own offers"),
                               "NOT_OWN_OFFER");
        }
      }
      *resp = **offer;
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListOffers(Ctx* ctx, In<v1::ListOffersRequest> req,
                                                      v1::ListOffersResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireAuthenticated(caller.identity); !st.ok()) return st;
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    absl::StatusOr<api_support::Page> page = api_support::ParsePage(req->page_size(), req->page_token(), caller.lang);
    if (!page.ok()) return page.status();
    store::OfferFilter f;
    f.programme = req->parent();
    f.state = req->state();
    f.application = req->application();
    if (!IsOrganiser(caller.identity)) f.applicant = caller.identity.subject;
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::vector<v1::Offer>> offers = store::ListOffers(s, f, page->offset, page->size);
      if (!offers.ok()) return offers.status();
      for (auto& o : *offers) *resp->add_offers() = std::move(o);
      resp->set_next_page_token(api_support::NextToken(*page, resp->offers_size()));
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::RespondToOffer(Ctx* ctx, In<v1::RespondToOfferRequest> req,
                                                          v1::Offer* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireAuthenticated(caller.identity); !st.ok()) return st;
    absl::StatusOr<std::string> programme_name = ProgrammeOfChild(req->name(), "offers", "name", caller.lang);
    if (!programme_name.ok()) return programme_name.status();
    const bool accept = req->reply() == v1::OFFER_REPLY_ACCEPT;
    if (!accept && req->reply() != v1::OFFER_REPLY_DECLINE) {
      return InvalidArgumentError(
          RuEn(caller.lang, "нет ответа", "no reply"),
          {{"reply", RuEn(caller.lang, "ответ должен быть ACCEPT или DECLINE", "must be ACCEPT or DECLINE")}});
    }
    const std::string scope = absl::StrCat("RespondToOffer:", caller.identity.subject);
    const absl::Time now = ctx_.clock.Now();
    const FlowActor actor = ActorOf(caller);
    // Accepting touches only its own offer (a conditional update) and the seat counter (a
    // conditional upsert), so READ COMMITTED holds it; a decline refills from the waiting list,
    // a read-decide-write that needs SERIALIZABLE.
    const db::TxMode mode = accept ? db::TxMode::kWriteReadCommitted : db::TxMode::kWrite;
    absl::Status status = ctx_.db.InTransaction(mode, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<bool> replay = api::RecallResult(s, scope, req->request_id(), resp);
      if (!replay.ok() || *replay) return replay.status();
      absl::StatusOr<std::optional<v1::Offer>> loaded = store::LoadOffer(s, req->name());
      if (!loaded.ok()) return loaded.status();
      if (!loaded->has_value()) return absl::NotFoundError(absl::StrCat(req->name(), " does not exist"));
      v1::Offer offer = **loaded;
      absl::StatusOr<std::optional<v1::Application>> app = store::LoadApplication(s, offer.application());
      if (!app.ok()) return app.status();
      if (!app->has_value()) return absl::DataLossError(absl::StrCat(offer.name(), " names a missing application"));
      v1::Application a = **app;
      if (!IsOrganiser(caller.identity) && a.applicant() != caller.identity.subject) {
        return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                             RuEn(caller.lang, "ответить на предложение может только заявитель",
                                  "only the applicant may answer this offer"),
                             "NOT_OWN_OFFER");
      }
      if (!req->etag().empty() && req->etag() != offer.etag()) {
        return ErrorWithInfo(
            absl::StatusCode::kAborted,
            RuEn(caller.lang, "предложение изменилось; прочитайте его заново", "the offer changed; read it again"),
            "ETAG_MISMATCH", {{"etag", offer.etag()}});
      }
      const auto not_open = [&] {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             RuEn(caller.lang, "предложение уже не действует", "the offer is no longer open"),
                             "OFFER_NOT_OPEN",
                             {{"offer", offer.name()}, {"state", v1::OfferState_Name(offer.state())}});
      };
      if (offer.state() != v1::OFFER_STATE_OPEN) return not_open();
      if (now >= absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(
                     offer.reply_deadline_time()))) {
        return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                             RuEn(caller.lang, "срок ответа на предложение истёк", "the reply deadline has passed"),
                             "OFFER_DEADLINE_PASSED", {{"offer", offer.name()}});
      }
      offer.set_state(accept ? v1::OFFER_STATE_ACCEPTED : v1::OFFER_STATE_DECLINED);
      *offer.mutable_resolve_time() = Ts(now);
      store::StampEtag(offer);
      absl::StatusOr<bool> saved = store::SaveOfferIfState(s, offer, v1::OFFER_STATE_OPEN);
      if (!saved.ok()) return saved.status();
      if (!*saved) return not_open();
      absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, *programme_name);
      if (!programme.ok()) return programme.status();
      a.set_state(accept ? v1::APPLICATION_STATE_CONFIRMED : v1::APPLICATION_STATE_DECLINED);
      *a.mutable_update_time() = Ts(now);
      if (absl::Status st = store::SaveApplication(s, a); !st.ok()) return st;
      ev::DomainEvent event;
      if (accept) {
        // The seat invariant: one conditional upsert decides, whatever the replicas do.
        absl::StatusOr<int64_t> taken = store::ParticipantSeats().TryTakeSeat(s, programme->name(), programme->seats());
        if (!taken.ok()) {
          std::optional<ErrorInfo> info = GetErrorInfo(taken.status());
          if (info && info->reason == "CAPACITY_EXHAUSTED") {
            return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                                 RuEn(caller.lang, absl::StrCat("все места (", programme->seats(), ") уже заняты"),
                                      absl::StrCat("all ", programme->seats(), " seats are taken")),
                                 "SEATS_EXHAUSTED", {{"seats", absl::StrCat(programme->seats())}});
          }
          return taken.status();
        }
        v1::Participant p;
        p.set_name(absl::StrCat(programme->name(), "/participants/", a.name().substr(a.name().rfind('/') + 1)));
        p.set_application(a.name());
        *p.mutable_organisation() = a.organisation();
        *p.mutable_contact_person() = a.contact_person();
        p.set_applicant(a.applicant());
        p.set_score(a.score());
        *p.mutable_confirm_time() = Ts(now);
        if (absl::Status st = store::InsertParticipant(s, p, a.organisation().region()); !st.ok()) return st;
        ev::ParticipantConfirmed* e = event.mutable_participant_confirmed();
        e->set_participant(p.name());
        e->set_application(a.name());
        e->set_programme(programme->name());
        e->set_organisation_name(a.organisation().full_name());
        e->set_organisation_inn(a.organisation().inn());
        e->set_region(a.organisation().region());
        *e->mutable_contact_person() = PersonOf(a);
        e->set_applicant(a.applicant());
        *e->mutable_confirm_time() = p.confirm_time();
        if (absl::Status st = EmitEvent(s, now, actor, p.name(), std::move(event)); !st.ok()) return st;
      } else {
        ev::OfferDeclined* e = event.mutable_offer_declined();
        e->set_offer(offer.name());
        e->set_application(a.name());
        e->set_programme(programme->name());
        e->set_organisation_name(a.organisation().full_name());
        *e->mutable_contact_person() = PersonOf(a);
        if (absl::Status st = EmitEvent(s, now, actor, offer.name(), std::move(event)); !st.ok()) return st;
        absl::StatusOr<std::optional<v1::Offer>> refill = Refill(s, *programme, now, actor);
        if (!refill.ok()) return refill.status();
      }
      *resp = offer;
      return api::RememberResult(s, scope, req->request_id(), offer, now);
    });
    if (status.ok()) ctx_.NotifyOutbox();
    return status;
  });
}

RegistrationApi::Reactor* RegistrationApi::GetParticipant(Ctx* ctx, In<v1::GetParticipantRequest> req,
                                                          v1::Participant* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireAuthenticated(caller.identity); !st.ok()) return st;
    absl::StatusOr<std::string> programme = ProgrammeOfChild(req->name(), "participants", "name", caller.lang);
    if (!programme.ok()) return programme.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      absl::StatusOr<std::optional<v1::Participant>> p = store::LoadParticipant(s, req->name());
      if (!p.ok()) return p.status();
      if (!p->has_value()) return absl::NotFoundError(absl::StrCat(req->name(), " does not exist"));
      if (!CanReadParticipants(caller.identity) && (*p)->applicant() != caller.identity.subject) {
        return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                             RuEn(caller.lang, "участников могут просматривать только организаторы и сервисы",
                                  "participants are read by organisers and services"),
                             "NOT_ALLOWED");
      }
      *resp = **p;
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListParticipants(Ctx* ctx, In<v1::ListParticipantsRequest> req,
                                                            v1::ListParticipantsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser, auth::Role::kService}); !st.ok()) {
      return st;
    }
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    absl::StatusOr<api_support::Page> page = api_support::ParsePage(req->page_size(), req->page_token(), caller.lang);
    if (!page.ok()) return page.status();
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::vector<v1::Participant>> rows =
          store::ListParticipants(s, req->parent(), req->region(), page->offset, page->size);
      if (!rows.ok()) return rows.status();
      absl::StatusOr<int> total = store::CountParticipants(s, req->parent(), req->region());
      if (!total.ok()) return total.status();
      for (auto& p : *rows) *resp->add_participants() = std::move(p);
      resp->set_total_size(*total);
      resp->set_next_page_token(page->offset + resp->participants_size() < *total
                                    ? absl::StrCat(page->offset + resp->participants_size())
                                    : "");
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::GetRegistrationProgress(Ctx* ctx, In<v1::GetRegistrationProgressRequest> req,
                                                                   v1::RegistrationProgress* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser, auth::Role::kService}); !st.ok()) {
      return st;
    }
    if (absl::Status st = CheckProgrammeName(req->programme(), "programme", caller.lang); !st.ok()) return st;
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, req->programme());
      if (!programme.ok()) return programme.status();
      resp->set_programme(programme->name());
      for (int st = v1::APPLICATION_STATE_DRAFT; st <= v1::APPLICATION_STATE_WITHDRAWN; ++st) {
        store::ApplicationFilter f;
        f.programme = programme->name();
        f.states = {static_cast<v1::ApplicationState>(st)};
        absl::StatusOr<int> n = store::CountApplications(s, f);
        if (!n.ok()) return n.status();
        v1::StateCount* c = resp->add_applications();
        c->set_state(static_cast<v1::ApplicationState>(st));
        c->set_count(*n);
        if (st == v1::APPLICATION_STATE_WAITLISTED) resp->set_waitlisted(*n);
      }
      resp->set_seats(programme->seats());
      absl::StatusOr<int> participants = store::CountParticipants(s, programme->name(), "");
      if (!participants.ok()) return participants.status();
      resp->set_participants(*participants);
      store::OfferFilter of;
      of.programme = programme->name();
      of.state = v1::OFFER_STATE_OPEN;
      absl::StatusOr<int> open = store::CountOffers(s, of);
      if (!open.ok()) return open.status();
      resp->set_open_offers(*open);
      absl::StatusOr<std::vector<v1::Form>> forms = store::ListAllForms(s, programme->name());
      if (!forms.ok()) return forms.status();
      int responses = 0;
      for (const v1::Form& form : *forms) {
        if (form.purpose() != v1::FORM_PURPOSE_SURVEY) continue;
        absl::StatusOr<int> n = store::CountSurveyResponses(s, form.name());
        if (!n.ok()) return n.status();
        responses += *n;
      }
      resp->set_survey_responses(responses);
      for (const v1::Stage& stage : programme->stages()) {
        for (const etnik::common::v1::Target& t : stage.targets()) {
          int actual;
          if (t.metric() == etnik::common::v1::TARGET_METRIC_PARTICIPANTS) {
            actual = *participants;
          } else if (t.metric() == etnik::common::v1::TARGET_METRIC_SURVEY_RESPONSES) {
            actual = responses;
          } else {
            continue;  // other services count hubs, experts and sessions
          }
          etnik::common::v1::TargetProgress* p = resp->add_targets();
          p->set_stage(absl::StrCat(programme->name(), "/stages/", stage.stage_id()));
          p->set_metric(t.metric());
          p->set_target(t.value());
          p->set_actual(actual);
        }
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace etnik::registration
