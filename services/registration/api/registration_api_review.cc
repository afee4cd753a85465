// Reviewer assignments, conflicts of interest, reviews and review progress.

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/identity.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/registration/api/registration_api.h"
#include "services/registration/api/support.h"
#include "services/registration/domain/org_ids.h"
#include "services/registration/api/serve.h"
#include "services/registration/selection/api_support.h"
#include "services/registration/selection/scoring.h"
#include "services/registration/store/registration_store.h"
#include "services/registration/store/review_store.h"

namespace etnik::registration {

using api_support::CheckProgrammeName;
using api_support::ProgrammeOfChild;
using api_support::Ts;

namespace {

// Recomputes the application's aggregate score and review count from its stored reviews.
absl::Status RecomputeScore(soci::session& s, const v1::Programme& programme, v1::Application& a, absl::Time now) {
  absl::StatusOr<std::vector<v1::Review>> reviews = store::ListReviews(s, "", a.name(), "", 0, -1);
  if (!reviews.ok()) return reviews.status();
  std::vector<double> scores;
  for (const v1::Review& r : *reviews) scores.push_back(r.weighted_score());
  a.set_score(AggregateScores(scores, programme.score_aggregation()));
  a.set_review_count(static_cast<int>(scores.size()));
  *a.mutable_update_time() = Ts(now);
  return store::SaveApplication(s, a);
}

}  // namespace

RegistrationApi::Reactor* RegistrationApi::AssignReviewers(Ctx* ctx, In<v1::AssignReviewersRequest> req,
                                                           v1::AssignReviewersResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !st.ok()) return st;
    std::vector<FieldViolation> violations;
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    std::set<std::string> reviewers;
    for (int i = 0; i < req->reviewers_size(); ++i) {
      if (req->reviewers(i).empty() || !reviewers.insert(req->reviewers(i)).second) {
        violations.push_back(
            {absl::StrCat("reviewers[", i, "]"), RuEn(caller.lang, "рецензенты должны быть непустыми и не повторяться",
                                                      "reviewers must be distinct, non-empty subjects")});
      }
    }
    if (reviewers.empty()) {
      violations.push_back(
          {"reviewers", RuEn(caller.lang, "нужен хотя бы один рецензент", "at least one reviewer is required")});
    }
    if (req->reviewers_per_application() < 1 ||
        req->reviewers_per_application() > static_cast<int>(reviewers.size())) {
      violations.push_back({"reviewers_per_application", RuEn(caller.lang, "должно быть от 1 до числа рецензентов",
                                                              "must be between 1 and the number of reviewers")});
    }
    for (int i = 0; i < req->applications_size(); ++i) {
      absl::StatusOr<std::string> p =
          ProgrammeOfChild(req->applications(i), "applications", absl::StrCat("applications[", i, "]"), caller.lang);
      if (!p.ok() || *p != req->parent()) {
        violations.push_back(
            {absl::StrCat("applications[", i, "]"), RuEn(caller.lang, "заявка должна относиться к этой программе",
                                                         "must be an application of the programme")});
      }
    }
    if (!violations.empty()) {
      return InvalidArgumentError(
          RuEn(caller.lang, "запрос на назначение рецензентов заполнен с ошибками", "invalid assignment request"),
          std::move(violations));
    }
    const std::string scope = absl::StrCat("AssignReviewers:", caller.identity.subject);
    const absl::Time now = ctx_.clock.Now();
    return ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<bool> replay = api::RecallResult(s, scope, req->request_id(), resp);
      if (!replay.ok() || *replay) return replay.status();
      absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, req->parent());
      if (!programme.ok()) return programme.status();
      std::vector<v1::Application> apps;
      if (req->applications_size() > 0) {
        for (const std::string& name : req->applications()) {
          absl::StatusOr<std::optional<v1::Application>> a = store::LoadApplication(s, name);
          if (!a.ok()) return a.status();
          if (!a->has_value()) return absl::NotFoundError(absl::StrCat(name, " does not exist"));
          if ((*a)->state() != v1::APPLICATION_STATE_SUBMITTED && (*a)->state() != v1::APPLICATION_STATE_UNDER_REVIEW) {
            return ErrorWithInfo(absl::StatusCode::kFailedPrecondition,
                                 RuEn(caller.lang, absl::StrCat("заявка ", name, " не принимается на рецензирование"),
                                      absl::StrCat(name, " is not open for review")),
                                 "APPLICATION_NOT_REVIEWABLE", {{"application", name}});
          }
          apps.push_back(**a);
        }
      } else {
        store::ApplicationFilter f;
        f.programme = req->parent();
        f.states = {v1::APPLICATION_STATE_SUBMITTED, v1::APPLICATION_STATE_UNDER_REVIEW};
        absl::StatusOr<std::vector<v1::Application>> all = store::ListApplications(s, f, 0, 1 << 20);
        if (!all.ok()) return all.status();
        apps = *std::move(all);
      }
      absl::StatusOr<std::vector<v1::ConflictDeclaration>> conflicts = store::ListConflicts(s, req->parent(), "", 0, -1);
      if (!conflicts.ok()) return conflicts.status();
      std::set<std::pair<std::string, std::string>> conflicted;
      for (const auto& c : *conflicts) conflicted.insert({c.reviewer(), c.organisation_inn()});
      store::AssignmentFilter af;
      af.programme = req->parent();
      absl::StatusOr<std::vector<v1::ReviewerAssignment>> existing = store::ListAssignments(s, af, 0, -1);
      if (!existing.ok()) return existing.status();
      std::map<std::string, int> load;
      for (const std::string& r : reviewers) load[r] = 0;
      std::map<std::string, std::set<std::string>> taken;  // application -> reviewers (any state)
      std::map<std::string, int> active;                   // application -> non-recused
      for (const auto& a : *existing) {
        taken[a.application()].insert(a.reviewer());
        if (a.state() != v1::ASSIGNMENT_STATE_RECUSED) {
          ++active[a.application()];
          if (load.count(a.reviewer())) ++load[a.reviewer()];
        }
      }
      for (v1::Application& app : apps) {
        int need = req->reviewers_per_application() - active[app.name()];
        // Least-loaded first, then by subject: an even, reproducible spread.
        std::vector<std::string> order(reviewers.begin(), reviewers.end());
        std::stable_sort(order.begin(), order.end(),
                         [&](const std::string& a, const std::string& b) { return load[a] < load[b]; });
        for (const std::string& r : order) {
          if (need <= 0) break;
          if (taken[app.name()].count(r) || conflicted.count({r, app.organisation().inn()})) continue;
          v1::ReviewerAssignment a;
          a.set_name(absl::StrCat(req->parent(), "/assignments/", NewId()));
          a.set_application(app.name());
          a.set_reviewer(r);
          a.set_state(v1::ASSIGNMENT_STATE_PENDING);
          *a.mutable_create_time() = Ts(now);
          if (absl::Status st = store::SaveAssignment(s, req->parent(), a); !st.ok()) return st;
          *resp->add_assignments() = a;
          taken[app.name()].insert(r);
          ++active[app.name()];
          ++load[r];
          --need;
        }
        if (need > 0) resp->add_understaffed_applications(app.name());
        if (app.state() == v1::APPLICATION_STATE_SUBMITTED && active[app.name()] > 0) {
          app.set_state(v1::APPLICATION_STATE_UNDER_REVIEW);
          *app.mutable_update_time() = Ts(now);
          if (absl::Status st = store::SaveApplication(s, app); !st.ok()) return st;
        }
      }
      return api::RememberResult(s, scope, req->request_id(), *resp, now);
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListReviewerAssignments(Ctx* ctx, In<v1::ListReviewerAssignmentsRequest> req,
                                                                   v1::ListReviewerAssignmentsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser, auth::Role::kReviewer}); !st.ok()) {
      return st;
    }
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    absl::StatusOr<api_support::Page> page = api_support::ParsePage(req->page_size(), req->page_token(), caller.lang);
    if (!page.ok()) return page.status();
    store::AssignmentFilter f;
    f.programme = req->parent();
    f.reviewer = req->reviewer();
    f.application = req->application();
    f.state = req->state();
    if (!IsOrganiser(caller.identity)) {
      if (!f.reviewer.empty() && f.reviewer != caller.identity.subject) {
        return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                             RuEn(caller.lang, "рецензент может видеть только свои назначения",
                                  "reviewers see only their own assignments"),
                             "NOT_OWN_ASSIGNMENTS");
      }
      f.reviewer = caller.identity.subject;
    }
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, req->parent());
      if (!programme.ok()) return programme.status();
      absl::StatusOr<std::vector<v1::ReviewerAssignment>> rows = store::ListAssignments(s, f, page->offset, page->size);
      if (!rows.ok()) return rows.status();
      for (auto& a : *rows) *resp->add_assignments() = std::move(a);
      resp->set_next_page_token(api_support::NextToken(*page, resp->assignments_size()));
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::DeclareConflict(Ctx* ctx, In<v1::DeclareConflictRequest> req,
                                                           v1::ConflictDeclaration* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser, auth::Role::kReviewer}); !st.ok()) {
      return st;
    }
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    const std::string reviewer = req->conflict().reviewer().empty() ? caller.identity.subject : req->conflict().reviewer();
    if (!IsOrganiser(caller.identity) && reviewer != caller.identity.subject) {
      return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                           RuEn(caller.lang, "рецензент может заявить конфликт интересов только за себя",
                                "reviewers declare conflicts only for themselves"),
                           "NOT_OWN_CONFLICT");
    }
    if (!IsValidInn(req->conflict().organisation_inn())) {
      return InvalidArgumentError(
          RuEn(caller.lang, "неверный ИНН", "bad INN"),
          {{"conflict.organisation_inn",
            RuEn(caller.lang, "ИНН должен состоять из 10 или 12 цифр с верными контрольными цифрами",
                 "must be a valid INN: 10 or 12 digits with its check digits")}});
    }
    const std::string scope = absl::StrCat("DeclareConflict:", caller.identity.subject);
    const absl::Time now = ctx_.clock.Now();
    return ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<bool> replay = api::RecallResult(s, scope, req->request_id(), resp);
      if (!replay.ok() || *replay) return replay.status();
      absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, req->parent());
      if (!programme.ok()) return programme.status();
      resp->set_name(absl::StrCat(req->parent(), "/conflicts/", NewId()));
      resp->set_reviewer(reviewer);
      resp->set_organisation_inn(req->conflict().organisation_inn());
      resp->set_reason(req->conflict().reason());
      *resp->mutable_create_time() = Ts(now);
      if (absl::Status st = store::InsertConflict(s, req->parent(), *resp); !st.ok()) return st;
      absl::StatusOr<std::vector<std::string>> apps =
          store::AssignedApplicationsOfInn(s, req->parent(), reviewer, resp->organisation_inn());
      if (!apps.ok()) return apps.status();
      for (const std::string& name : *apps) {
        absl::StatusOr<std::optional<v1::ReviewerAssignment>> a = store::LoadAssignment(s, name, reviewer);
        if (!a.ok()) return a.status();
        if (!a->has_value() || (*a)->state() == v1::ASSIGNMENT_STATE_RECUSED) continue;
        v1::ReviewerAssignment recused = **a;
        recused.set_state(v1::ASSIGNMENT_STATE_RECUSED);
        if (absl::Status st = store::SaveAssignment(s, req->parent(), recused); !st.ok()) return st;
        // A conflicted score must not count: drop it and recompute the aggregate.
        if (absl::Status st = store::DeleteReview(s, name, reviewer); !st.ok()) return st;
        absl::StatusOr<std::optional<v1::Application>> app = store::LoadApplication(s, name);
        if (!app.ok()) return app.status();
        if (app->has_value()) {
          if (absl::Status st = RecomputeScore(s, *programme, **app, now); !st.ok()) return st;
        }
      }
      return api::RememberResult(s, scope, req->request_id(), *resp, now);
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListConflictDeclarations(Ctx* ctx, In<v1::ListConflictDeclarationsRequest> req,
                                                                    v1::ListConflictDeclarationsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser, auth::Role::kReviewer}); !st.ok()) {
      return st;
    }
    if (absl::Status st = CheckProgrammeName(req->parent(), "parent", caller.lang); !st.ok()) return st;
    absl::StatusOr<api_support::Page> page = api_support::ParsePage(req->page_size(), req->page_token(), caller.lang);
    if (!page.ok()) return page.status();
    std::string reviewer = req->reviewer();
    if (!IsOrganiser(caller.identity)) {
      if (!reviewer.empty() && reviewer != caller.identity.subject) {
        return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                             RuEn(caller.lang, "рецензент может видеть только свои заявления о конфликте интересов",
                                  "reviewers see only their own declarations"),
                             "NOT_OWN_CONFLICT");
      }
      reviewer = caller.identity.subject;
    }
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::vector<v1::ConflictDeclaration>> rows =
          store::ListConflicts(s, req->parent(), reviewer, page->offset, page->size);
      if (!rows.ok()) return rows.status();
      for (auto& c : *rows) *resp->add_conflicts() = std::move(c);
      resp->set_next_page_token(api_support::NextToken(*page, resp->conflicts_size()));
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ReviewApplication(Ctx* ctx, In<v1::ReviewApplicationRequest> req,
                                                             v1::Review* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireAuthenticated(caller.identity); !st.ok()) return st;
    absl::StatusOr<std::string> programme_name = ProgrammeOfChild(req->parent(), "applications", "parent", caller.lang);
    if (!programme_name.ok()) return programme_name.status();
    const std::string& reviewer = caller.identity.subject;
    const std::string scope = absl::StrCat("ReviewApplication:", reviewer);
    const absl::Time now = ctx_.clock.Now();
    return ctx_.db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<bool> replay = api::RecallResult(s, scope, req->request_id(), resp);
      if (!replay.ok() || *replay) return replay.status();
      absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, *programme_name);
      if (!programme.ok()) return programme.status();
      absl::StatusOr<std::optional<v1::Application>> app = store::LoadApplication(s, req->parent());
      if (!app.ok()) return app.status();
      absl::StatusOr<std::optional<v1::ReviewerAssignment>> assignment = store::LoadAssignment(s, req->parent(), reviewer);
      if (!assignment.ok()) return assignment.status();
      // Unassigned callers learn nothing about the application, not even whether it exists.
      if (!app->has_value() || !assignment->has_value()) {
        return ErrorWithInfo(absl::StatusCode::kPermissionDenied,
                             RuEn(caller.lang, "оценивать эту заявку может только назначенный рецензент",
                                  "only an assigned reviewer may review this application"),
                             "NOT_ASSIGNED", {{"application", req->parent()}});
      }
      if ((*assignment)->state() == v1::ASSIGNMENT_STATE_RECUSED) {
        return ErrorWithInfo(
            absl::StatusCode::kPermissionDenied,
            RuEn(caller.lang, "рецензент заявил о конфликте интересов", "the reviewer declared a conflict of interest"),
            "REVIEWER_RECUSED", {{"application", req->parent()}});
      }
      v1::Application& a = **app;
      if (a.state() != v1::APPLICATION_STATE_UNDER_REVIEW && a.state() != v1::APPLICATION_STATE_SUBMITTED) {
        return ErrorWithInfo(
            absl::StatusCode::kFailedPrecondition,
            RuEn(caller.lang, "заявка больше не на рецензировании", "the application is no longer under review"),
            "REVIEW_CLOSED", {{"application", a.name()}});
      }
      absl::StatusOr<double> score = WeightedScore(programme->review_criteria(), req->scores(), caller.lang, "scores");
      if (!score.ok()) return score.status();
      absl::StatusOr<std::optional<v1::Review>> earlier = store::LoadReview(s, a.name(), reviewer);
      if (!earlier.ok()) return earlier.status();
      if (earlier->has_value()) {
        resp->set_name((*earlier)->name());
        *resp->mutable_create_time() = (*earlier)->create_time();
      } else {
        resp->set_name(absl::StrCat(a.name(), "/reviews/", NewId()));
        *resp->mutable_create_time() = Ts(now);
      }
      resp->set_reviewer(reviewer);
      *resp->mutable_scores() = req->scores();
      resp->set_weighted_score(*score);
      resp->set_comment(req->comment());
      *resp->mutable_update_time() = Ts(now);
      store::StampEtag(*resp);
      if (absl::Status st = store::SaveReview(s, *programme_name, a.name(), *resp); !st.ok()) return st;
      v1::ReviewerAssignment done = **assignment;
      done.set_state(v1::ASSIGNMENT_STATE_REVIEWED);
      if (absl::Status st = store::SaveAssignment(s, *programme_name, done); !st.ok()) return st;
      if (absl::Status st = RecomputeScore(s, *programme, a, now); !st.ok()) return st;
      return api::RememberResult(s, scope, req->request_id(), *resp, now);
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::ListReviews(Ctx* ctx, In<v1::ListReviewsRequest> req,
                                                       v1::ListReviewsResponse* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser, auth::Role::kReviewer}); !st.ok()) {
      return st;
    }
    absl::StatusOr<std::string> programme =
        ProgrammeOfChild(req->parent(), "applications", "parent", caller.lang, true);
    if (!programme.ok()) return programme.status();
    absl::StatusOr<api_support::Page> page = api_support::ParsePage(req->page_size(), req->page_token(), caller.lang);
    if (!page.ok()) return page.status();
    std::string reviewer = req->reviewer();
    if (!IsOrganiser(caller.identity)) {
      if (!reviewer.empty() && reviewer != caller.identity.subject) {
        return ErrorWithInfo(
            absl::StatusCode::kPermissionDenied,
            RuEn(caller.lang, "рецензент может видеть только свои рецензии", "reviewers see only their own reviews"),
            "NOT_OWN_REVIEWS");
      }
      reviewer = caller.identity.subject;
    }
    const bool all = absl::EndsWith(req->parent(), "/applications/-");
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<std::vector<v1::Review>> rows =
          store::ListReviews(s, *programme, all ? "" : req->parent(), reviewer, page->offset, page->size);
      if (!rows.ok()) return rows.status();
      for (auto& r : *rows) *resp->add_reviews() = std::move(r);
      resp->set_next_page_token(api_support::NextToken(*page, resp->reviews_size()));
      return absl::OkStatus();
    });
  });
}

RegistrationApi::Reactor* RegistrationApi::GetReviewProgress(Ctx* ctx, In<v1::GetReviewProgressRequest> req,
                                                             v1::ReviewProgress* resp) {
  return Serve(ctx, [&](const Caller& caller) -> absl::Status {
    if (absl::Status st = auth::RequireRole(caller.identity, {auth::Role::kOrganiser}); !st.ok()) return st;
    if (absl::Status st = CheckProgrammeName(req->programme(), "programme", caller.lang); !st.ok()) return st;
    return ctx_.db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
      resp->Clear();
      absl::StatusOr<v1::Programme> programme = api::LoadProgrammeOr404(s, req->programme());
      if (!programme.ok()) return programme.status();
      store::ApplicationFilter f;
      f.programme = req->programme();
      for (int st = v1::APPLICATION_STATE_SUBMITTED; st <= v1::APPLICATION_STATE_EXPIRED; ++st) {
        f.states.push_back(static_cast<v1::ApplicationState>(st));
      }
      absl::StatusOr<int> applications = store::CountApplications(s, f);
      if (!applications.ok()) return applications.status();
      store::AssignmentFilter af;
      af.programme = req->programme();
      absl::StatusOr<std::vector<v1::ReviewerAssignment>> rows = store::ListAssignments(s, af, 0, -1);
      if (!rows.ok()) return rows.status();
      std::map<std::string, v1::ReviewerProgress> per_reviewer;
      std::map<std::string, std::pair<int, int>> per_app;  // application -> (active, reviewed)
      for (const auto& a : *rows) {
        v1::ReviewerProgress& p = per_reviewer[a.reviewer()];
        p.set_reviewer(a.reviewer());
        p.set_assigned(p.assigned() + 1);
        auto& app = per_app[a.application()];
        if (a.state() == v1::ASSIGNMENT_STATE_REVIEWED) {
          p.set_reviewed(p.reviewed() + 1);
          ++app.first;
          ++app.second;
        } else if (a.state() == v1::ASSIGNMENT_STATE_RECUSED) {
          p.set_recused(p.recused() + 1);
        } else {
          ++app.first;
        }
      }
      int fully = 0;
      for (const auto& [name, counts] : per_app) fully += counts.first > 0 && counts.first == counts.second;
      resp->set_programme(req->programme());
      resp->set_applications(*applications);
      resp->set_assigned_applications(static_cast<int>(per_app.size()));
      resp->set_fully_reviewed_applications(fully);
      for (auto& [name, p] : per_reviewer) *resp->add_reviewers() = std::move(p);
      return absl::OkStatus();
    });
  });
}

}  // namespace etnik::registration
