// Review, selection, offers and participants over gRPC, on SQLite and PostgreSQL: 150
// applications, three reviewers, a quota-bound selection of 40, declines and an expiry refilled
// from the waiting list, concurrent accepts that never pass the seats, authorisation and bad
// input.

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "etnik/registration/v1/registration_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/registration/api/offer_sweeper.h"
#include "services/registration/api/test_env.h"
#include "services/registration/selection/offer_flow.h"
#include "services/registration/selection/selection.h"
#include "services/registration/store/registration_store.h"
#include "services/registration/store/selection_store.h"

namespace etnik::registration {
namespace {

// A valid 10-digit INN for organisation i: "77" + seven digits + the check digit (weights
// 2,4,10,3,5,9,4,6,8 over the first nine digits, sum mod 11 mod 10).
std::string LegalEntityInn(int i) {
  std::string inn = absl::StrFormat("77%07d", i);
  static constexpr int kWeights[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  int sum = 0;
  for (int k = 0; k < 9; ++k) sum += (inn[k] - '0') * kWeights[k];
  inn.push_back(static_cast<char>('0' + sum % 11 % 10));
  return inn;
}

namespace v1 = etnik::registration::v1;
using google::protobuf::util::TimeUtil;
using testing::TestEnv;

constexpr char kProgramme[] = "programmes/etnik-2021";
constexpr int kApplications = 150;
const char* const kRegions[] = {"RU-MOW", "RU-SPE", "RU-SMO", "RU-TVE", "RU-KLU", "RU-TA",  "RU-BA",
                                "RU-NIZ", "RU-SVE", "RU-NVS", "RU-KDA", "RU-ROS", "RU-PER", "RU-SAM",
                                "RU-VLA", "RU-YAR", "RU-KGD", "RU-IRK", "RU-KHA", "RU-ARK"};
const char* const kThemes[] = {"ecology", "culture", "youth", "elderly", "inclusion"};

std::string AppName(int i) { return absl::StrFormat("%s/applications/app-%03d", kProgramme, i); }
std::string Applicant(int i) { return absl::StrFormat("applicant-%03d", i); }

// The error's field violations, by field.
std::vector<std::string> Violations(const grpc::Status& status) {
  std::vector<std::string> out;
  for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(status))) out.push_back(v.field);
  return out;
}

// The error's field violation descriptions, by field.
std::map<std::string, std::string> Descriptions(const grpc::Status& status) {
  std::map<std::string, std::string> out;
  for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(status))) out[v.field] = v.description;
  return out;
}

class SelectionFlowTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestEnv>> env = TestEnv::Create(GetParam());
    ASSERT_TRUE(env.ok()) << env.status();
    env_ = *std::move(env);
    ASSERT_TRUE(Seed().ok());
  }

  // The programme and 150 submitted applications, written through the store as the
  // application RPCs would leave them.
  absl::Status Seed() {
    const absl::Time now = env_->clock().Now();
    return env_->database().InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      v1::Programme p;
      p.set_name(kProgramme);
      p.mutable_title()->set_ru("ЭтНик: ресурсное сообщество");
      p.set_time_zone("Europe/Moscow");
      p.set_seats(40);
      auto* c1 = p.add_review_criteria();
      c1->set_criterion_id("relevance");
      c1->set_weight(2);
      c1->set_max_score(10);
      auto* c2 = p.add_review_criteria();
      c2->set_criterion_id("capacity");
      c2->set_weight(1);
      c2->set_max_score(5);
      p.set_score_aggregation(v1::SCORE_AGGREGATION_MEAN);
      p.mutable_offer_reply_duration()->set_seconds(72 * 3600);
      v1::Stage* stage = p.add_stages();
      stage->set_stage_id("selection");
      stage->set_kind(etnik::common::v1::STAGE_KIND_SELECTION);
      auto* target = stage->add_targets();
      target->set_metric(etnik::common::v1::TARGET_METRIC_PARTICIPANTS);
      target->set_value(40);
      *p.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
      if (absl::Status st = store::InsertProgramme(s, p); !st.ok()) return st;
      for (int i = 0; i < kApplications; ++i) {
        v1::Application a;
        a.set_name(AppName(i));
        a.set_form(absl::StrCat(kProgramme, "/forms/application"));
        a.mutable_organisation()->set_full_name(absl::StrFormat("АНО «Ресурсный центр №%03d»", i));
        a.mutable_organisation()->set_inn(LegalEntityInn(i));
        a.mutable_organisation()->set_region(kRegions[(i * 7) % 20]);
        a.mutable_contact_person()->set_full_name(absl::StrFormat("Иванова Мария %03d", i));
        a.mutable_contact_person()->mutable_contact()->set_email(absl::StrFormat("org%03d@example.org", i));
        v1::Answer* theme = a.add_answers();
        theme->set_question_id("theme");
        theme->mutable_choices()->add_values(kThemes[i % 5]);
        a.set_state(v1::APPLICATION_STATE_SUBMITTED);
        a.set_applicant(Applicant(i));
        *a.mutable_submit_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now - absl::Minutes(kApplications - i)));
        *a.mutable_create_time() = a.submit_time();
        if (absl::Status st = store::InsertApplication(s, a); !st.ok()) return st;
      }
      return absl::OkStatus();
    });
  }

  v1::Application LoadApp(const std::string& name) {
    v1::Application out;
    EXPECT_TRUE(env_->database()
                    .InTransaction(db::TxMode::kRead,
                                   [&](soci::session& s) -> absl::Status {
                                     auto a = store::LoadApplication(s, name);
                                     if (!a.ok()) return a.status();
                                     if (a->has_value()) out = **a;
                                     return absl::OkStatus();
                                   })
                    .ok());
    return out;
  }

  std::vector<v1::Application> AppsIn(std::vector<v1::ApplicationState> states) {
    std::vector<v1::Application> out;
    EXPECT_TRUE(env_->database()
                    .InTransaction(db::TxMode::kRead,
                                   [&](soci::session& s) -> absl::Status {
                                     store::ApplicationFilter f;
                                     f.programme = kProgramme;
                                     f.states = states;
                                     auto rows = store::ListApplications(s, f, 0, 1000);
                                     if (!rows.ok()) return rows.status();
                                     out = *rows;
                                     return absl::OkStatus();
                                   })
                    .ok());
    return out;
  }

  int ApplicantIndex(const std::string& application) { return std::stoi(application.substr(application.size() - 3)); }

  grpc::Status Respond(const std::string& offer, v1::OfferReply reply, const std::string& token, v1::Offer* out) {
    v1::RespondToOfferRequest req;
    req.set_name(offer);
    req.set_reply(reply);
    return env_->stub().RespondToOffer(TestEnv::Ctx(token).get(), req, out);
  }

  std::vector<v1::Offer> Offers(v1::OfferState state) {
    v1::ListOffersRequest req;
    req.set_parent(kProgramme);
    req.set_state(state);
    req.set_page_size(1000);
    v1::ListOffersResponse resp;
    grpc::Status st = env_->stub().ListOffers(TestEnv::Ctx(TestEnv::OrganiserToken()).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return {resp.offers().begin(), resp.offers().end()};
  }

  // What the refill rule says the next offer should go to, from the stored state.
  // `leaving`: an application about to give up its seat, not counted as holding one.
  std::string ExpectedRefill(const v1::SelectionRun& run, const std::string& leaving = "") {
    std::vector<Candidate> holding, queue;
    for (const auto& a : AppsIn({v1::APPLICATION_STATE_SELECTED, v1::APPLICATION_STATE_CONFIRMED})) {
      if (a.name() != leaving) holding.push_back(CandidateOf(a));
    }
    for (const auto& d : run.decisions()) {
      if (d.outcome() != v1::SELECTION_OUTCOME_WAITLISTED) continue;
      v1::Application a = LoadApp(d.application());
      if (a.state() == v1::APPLICATION_STATE_WAITLISTED) queue.push_back(CandidateOf(a));
    }
    auto pick = PickRefill(holding, queue, {run.quotas().begin(), run.quotas().end()});
    return pick ? queue[pick->index].application : "";
  }

  void CheckQuotas() {
    std::map<std::string, int> per_region;
    int inclusion = 0;
    for (const auto& a : AppsIn({v1::APPLICATION_STATE_SELECTED, v1::APPLICATION_STATE_CONFIRMED})) {
      ++per_region[a.organisation().region()];
      inclusion += a.answers(0).choices().values(0) == "inclusion";
    }
    for (const auto& [region, n] : per_region) EXPECT_LE(n, 5) << region;
    EXPECT_GE(inclusion, 8);
  }

  std::unique_ptr<TestEnv> env_;
};

v1::RunSelectionRequest SelectionRequest(bool preview) {
  v1::RunSelectionRequest req;
  req.set_parent(kProgramme);
  v1::SelectionRun* run = req.mutable_selection_run();
  run->set_waitlist_size(30);
  run->set_min_score(10);
  run->set_preview(preview);
  v1::Quota* region = run->add_quotas();
  region->set_quota_id("region-max");
  region->set_dimension(v1::QUOTA_DIMENSION_REGION);
  region->set_bound(v1::QUOTA_BOUND_AT_MOST);
  region->set_count(5);
  v1::Quota* inclusion = run->add_quotas();
  inclusion->set_quota_id("inclusion-min");
  inclusion->set_dimension(v1::QUOTA_DIMENSION_ANSWER);
  inclusion->set_question_id("theme");
  inclusion->set_value("inclusion");
  inclusion->set_bound(v1::QUOTA_BOUND_AT_LEAST);
  inclusion->set_count(8);
  return req;
}

TEST_P(SelectionFlowTest, ReviewSelectOfferRefillAndConfirm) {
  auto& stub = env_->stub();
  const std::string organiser = TestEnv::OrganiserToken();
  const std::vector<std::string> reviewers = {"reviewer-1", "reviewer-2", "reviewer-3"};

  // --- conflicts and assignment ---
  v1::DeclareConflictRequest conflict;
  conflict.set_parent(kProgramme);
  conflict.mutable_conflict()->set_organisation_inn(LoadApp(AppName(0)).organisation().inn());
  conflict.mutable_conflict()->set_reason("board member");
  v1::ConflictDeclaration declared;
  ASSERT_TRUE(stub.DeclareConflict(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-3")).get(), conflict, &declared).ok());
  EXPECT_EQ(declared.reviewer(), "reviewer-3");
  conflict.mutable_conflict()->set_reviewer("reviewer-1");
  EXPECT_EQ(stub.DeclareConflict(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-3")).get(), conflict, &declared)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::AssignReviewersRequest assign;
  assign.set_parent(kProgramme);
  for (const auto& r : reviewers) assign.add_reviewers(r);
  assign.set_reviewers_per_application(3);
  assign.set_request_id("assign-1");
  v1::AssignReviewersResponse assigned;
  EXPECT_EQ(stub.AssignReviewers(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-1")).get(), assign, &assigned).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status st = stub.AssignReviewers(TestEnv::Ctx(organiser).get(), assign, &assigned);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(assigned.assignments_size(), kApplications * 3 - 1);
  EXPECT_THAT(assigned.understaffed_applications(), ::testing::ElementsAre(AppName(0)));
  for (const auto& a : assigned.assignments()) {
    EXPECT_FALSE(a.application() == AppName(0) && a.reviewer() == "reviewer-3");
  }
  v1::AssignReviewersResponse again;
  ASSERT_TRUE(stub.AssignReviewers(TestEnv::Ctx(organiser).get(), assign, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), assigned.SerializeAsString());  // same request id, same answer
  EXPECT_EQ(LoadApp(AppName(5)).state(), v1::APPLICATION_STATE_UNDER_REVIEW);

  // A reviewer sees only their own assignments.
  v1::ListReviewerAssignmentsRequest mine;
  mine.set_parent(kProgramme);
  mine.set_page_size(1000);
  v1::ListReviewerAssignmentsResponse mine_resp;
  ASSERT_TRUE(stub.ListReviewerAssignments(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-2")).get(), mine, &mine_resp).ok());
  EXPECT_EQ(mine_resp.assignments_size(), kApplications);
  for (const auto& a : mine_resp.assignments()) EXPECT_EQ(a.reviewer(), "reviewer-2");
  mine.set_reviewer("reviewer-1");
  {
    const grpc::Status ru =
        stub.ListReviewerAssignments(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-2")).get(), mine, &mine_resp);
    EXPECT_EQ(ru.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(ru.error_message(), "рецензент может видеть только свои назначения");
    std::optional<ErrorInfo> info = GetErrorInfo(FromGrpcStatus(ru));
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->reason, "NOT_OWN_ASSIGNMENTS");
    const grpc::Status en =
        stub.ListReviewerAssignments(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-2"), "en").get(), mine, &mine_resp);
    EXPECT_EQ(en.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(en.error_message(), "reviewers see only their own assignments");
  }

  // A conflict declared after assignment recuses it.
  conflict.mutable_conflict()->set_reviewer("");
  conflict.mutable_conflict()->set_organisation_inn(LoadApp(AppName(1)).organisation().inn());
  ASSERT_TRUE(stub.DeclareConflict(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-2")).get(), conflict, &declared).ok());

  // --- reviews ---
  auto review = [&](const std::string& reviewer, int app, int relevance, int capacity, const std::string& lang = "") {
    v1::ReviewApplicationRequest req;
    req.set_parent(AppName(app));
    auto* s1 = req.add_scores();
    s1->set_criterion_id("relevance");
    s1->set_score(relevance);
    auto* s2 = req.add_scores();
    s2->set_criterion_id("capacity");
    s2->set_score(capacity);
    v1::Review out;
    return stub.ReviewApplication(TestEnv::Ctx(TestEnv::ReviewerToken(reviewer), lang).get(), req, &out);
  };
  for (int i = 0; i < kApplications; ++i) {
    for (int r = 0; r < 3; ++r) {
      if ((i == 0 && r == 2) || (i == 1 && r == 1)) continue;
      // Varied, reproducible scores; a handful of weak applications fall below min_score.
      const int relevance = i % 23 == 0 ? 0 : (i * 7 + r * 3) % 11;
      const int capacity = i % 23 == 0 ? 0 : (i * 3 + r) % 6;
      grpc::Status rs = review(reviewers[r], i, relevance, capacity);
      ASSERT_TRUE(rs.ok()) << i << " " << r << " " << rs.error_message();
    }
  }
  EXPECT_EQ(review("reviewer-2", 1, 5, 5).error_code(), grpc::StatusCode::PERMISSION_DENIED);  // recused
  EXPECT_EQ(review("reviewer-9", 2, 5, 5).error_code(), grpc::StatusCode::PERMISSION_DENIED);  // unassigned
  grpc::Status bad = review("reviewer-1", 2, 11, 5);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Violations(bad), ::testing::ElementsAre("scores[0].score"));
  // Russian by default, English on request.
  EXPECT_EQ(Descriptions(bad)["scores[0].score"], "оценка должна быть от 0 до 10");
  EXPECT_EQ(Descriptions(review("reviewer-1", 2, 11, 5, "en"))["scores[0].score"], "score must be between 0 and 10");
  {
    v1::ReviewApplicationRequest req;
    req.set_parent(AppName(2));
    auto* s1 = req.add_scores();
    s1->set_criterion_id("budget");
    s1->set_score(1);
    v1::Review out;
    grpc::Status unknown = stub.ReviewApplication(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-1")).get(), req, &out);
    EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(Violations(unknown), ::testing::Contains("scores[0].criterion_id"));
  }
  // A second review replaces the first: the count stays, the score moves.
  const v1::Application before = LoadApp(AppName(3));
  ASSERT_TRUE(review("reviewer-1", 3, 10, 5).ok());
  const v1::Application after = LoadApp(AppName(3));
  EXPECT_EQ(after.review_count(), 3);
  EXPECT_GT(after.score(), before.score());
  // A conflict declared after reviewing withdraws that review from the aggregate.
  conflict.mutable_conflict()->set_organisation_inn(LoadApp(AppName(4)).organisation().inn());
  ASSERT_TRUE(stub.DeclareConflict(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-1")).get(), conflict, &declared).ok());
  const v1::Application recused = LoadApp(AppName(4));
  EXPECT_EQ(recused.review_count(), 2);
  EXPECT_EQ(review("reviewer-1", 4, 5, 5).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::GetReviewProgressRequest progress_req;
  progress_req.set_programme(kProgramme);
  v1::ReviewProgress progress;
  ASSERT_TRUE(stub.GetReviewProgress(TestEnv::Ctx(organiser).get(), progress_req, &progress).ok());
  EXPECT_EQ(progress.applications(), kApplications);
  EXPECT_EQ(progress.assigned_applications(), kApplications);
  EXPECT_EQ(progress.fully_reviewed_applications(), kApplications);
  ASSERT_EQ(progress.reviewers_size(), 3);
  EXPECT_EQ(progress.reviewers(0).recused(), 1);
  EXPECT_EQ(progress.reviewers(1).recused(), 1);

  v1::ListReviewsRequest lr;
  lr.set_parent(absl::StrCat(kProgramme, "/applications/-"));
  lr.set_page_size(1000);
  v1::ListReviewsResponse reviews;
  ASSERT_TRUE(stub.ListReviews(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-3")).get(), lr, &reviews).ok());
  EXPECT_EQ(reviews.reviews_size(), kApplications - 1);
  for (const auto& r : reviews.reviews()) EXPECT_EQ(r.reviewer(), "reviewer-3");

  // --- selection: bad input, preview, commit ---
  v1::SelectionRun run;
  {
    v1::RunSelectionRequest bad_req = SelectionRequest(true);
    bad_req.mutable_selection_run()->set_seats(-1);
    bad_req.mutable_selection_run()->mutable_quotas(0)->set_bound(v1::QUOTA_BOUND_UNSPECIFIED);
    grpc::Status bs = stub.RunSelection(TestEnv::Ctx(organiser).get(), bad_req, &run);
    EXPECT_EQ(bs.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(Violations(bs), ::testing::UnorderedElementsAre("selection_run.seats", "selection_run.quotas[0].bound"));
    EXPECT_EQ(Descriptions(bs)["selection_run.quotas[0].bound"], "bound должен быть AT_MOST или AT_LEAST");
    EXPECT_EQ(Descriptions(bs)["selection_run.seats"], "число мест должно быть положительным (0 — места программы)");
    const grpc::Status en = stub.RunSelection(TestEnv::Ctx(organiser, "en").get(), bad_req, &run);
    EXPECT_EQ(en.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Descriptions(en)["selection_run.quotas[0].bound"], "bound must be AT_MOST or AT_LEAST");
    EXPECT_EQ(Descriptions(en)["selection_run.seats"], "seats must be positive (0 means the programme's seats)");
    EXPECT_EQ(stub.RunSelection(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-1")).get(), SelectionRequest(true), &run)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  v1::SelectionRun preview;
  ASSERT_TRUE(stub.RunSelection(TestEnv::Ctx(organiser).get(), SelectionRequest(true), &preview).ok());
  EXPECT_TRUE(preview.preview());
  EXPECT_EQ(preview.decisions_size(), kApplications);
  EXPECT_EQ(LoadApp(AppName(5)).state(), v1::APPLICATION_STATE_UNDER_REVIEW);  // nothing stored
  EXPECT_TRUE(Offers(v1::OFFER_STATE_UNSPECIFIED).empty());

  v1::RunSelectionRequest commit = SelectionRequest(false);
  commit.set_request_id("select-1");
  ASSERT_TRUE(stub.RunSelection(TestEnv::Ctx(organiser).get(), commit, &run).ok());
  ASSERT_EQ(run.decisions_size(), kApplications);
  EXPECT_EQ(run.seats(), 40);
  EXPECT_FALSE(run.tie_break().empty());
  int selected = 0, waitlisted = 0, rejected = 0;
  for (int i = 0; i < run.decisions_size(); ++i) {
    const auto& d = run.decisions(i);
    EXPECT_EQ(d.outcome(), preview.decisions(i).outcome()) << d.application();
    EXPECT_FALSE(d.explanation().empty());
    selected += d.outcome() == v1::SELECTION_OUTCOME_SELECTED;
    waitlisted += d.outcome() == v1::SELECTION_OUTCOME_WAITLISTED;
    rejected += d.outcome() == v1::SELECTION_OUTCOME_REJECTED;
    EXPECT_EQ(LoadApp(d.application()).state(),
              d.outcome() == v1::SELECTION_OUTCOME_SELECTED     ? v1::APPLICATION_STATE_SELECTED
              : d.outcome() == v1::SELECTION_OUTCOME_WAITLISTED ? v1::APPLICATION_STATE_WAITLISTED
                                                                : v1::APPLICATION_STATE_REJECTED);
  }
  EXPECT_EQ(selected, 40);
  EXPECT_EQ(waitlisted, 30);
  EXPECT_EQ(rejected, kApplications - 70);
  CheckQuotas();
  std::vector<v1::Offer> open = Offers(v1::OFFER_STATE_OPEN);
  ASSERT_EQ(open.size(), 40u);
  EXPECT_EQ(open[0].time_zone(), "Europe/Moscow");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(open[0].reply_deadline_time()),
            absl::ToUnixMicros(env_->clock().Now() + absl::Hours(72)));
  v1::SelectionRun repeated;
  ASSERT_TRUE(stub.RunSelection(TestEnv::Ctx(organiser).get(), commit, &repeated).ok());
  EXPECT_EQ(repeated.name(), run.name());
  commit.set_request_id("select-2");
  EXPECT_EQ(stub.RunSelection(TestEnv::Ctx(organiser).get(), commit, &repeated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  {
    auto events = env_->PendingEvents();
    ASSERT_TRUE(events.ok()) << events.status();
    std::map<std::string, int> types;
    for (const auto& e : *events) ++types[e.type()];
    EXPECT_EQ(types["etnik.events.v1.ApplicationSelected"], 40);
    EXPECT_EQ(types["etnik.events.v1.OfferMade"], 40);
    EXPECT_EQ(types["etnik.events.v1.ApplicationWaitlisted"], 30);
    EXPECT_EQ(types["etnik.events.v1.ApplicationRejected"], kApplications - 70);
  }

  // --- authorisation on offers ---
  const int owner = ApplicantIndex(open[0].application());
  const int other = ApplicantIndex(open[1].application());
  v1::Offer got;
  v1::GetOfferRequest get_offer;
  get_offer.set_name(open[0].name());
  EXPECT_TRUE(stub.GetOffer(TestEnv::Ctx(TestEnv::ApplicantToken(Applicant(owner))).get(), get_offer, &got).ok());
  EXPECT_EQ(stub.GetOffer(TestEnv::Ctx(TestEnv::ApplicantToken(Applicant(other))).get(), get_offer, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Respond(open[0].name(), v1::OFFER_REPLY_ACCEPT, TestEnv::ApplicantToken(Applicant(other)), &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  {
    v1::ListOffersRequest lo;
    lo.set_parent(kProgramme);
    v1::ListOffersResponse own;
    ASSERT_TRUE(stub.ListOffers(TestEnv::Ctx(TestEnv::ApplicantToken(Applicant(owner))).get(), lo, &own).ok());
    ASSERT_EQ(own.offers_size(), 1);
    EXPECT_EQ(own.offers(0).name(), open[0].name());
  }
  EXPECT_EQ(Respond(open[0].name(), v1::OFFER_REPLY_UNSPECIFIED, TestEnv::ApplicantToken(Applicant(owner)), &got)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // --- three declines, each refilled by the rule, in waiting-list order ---
  env_->clock().Advance(absl::Hours(1));
  for (int k = 0; k < 3; ++k) {
    const v1::Offer& declined = open[k];
    const std::string expected = [&] {
      // The rule applied to the state right after this decline.
      v1::Application a = LoadApp(declined.application());
      std::vector<Candidate> holding, queue;
      for (const auto& h : AppsIn({v1::APPLICATION_STATE_SELECTED, v1::APPLICATION_STATE_CONFIRMED})) {
        if (h.name() != a.name()) holding.push_back(CandidateOf(h));
      }
      for (const auto& d : run.decisions()) {
        if (d.outcome() != v1::SELECTION_OUTCOME_WAITLISTED) continue;
        v1::Application w = LoadApp(d.application());
        if (w.state() == v1::APPLICATION_STATE_WAITLISTED) queue.push_back(CandidateOf(w));
      }
      auto pick = PickRefill(holding, queue, {run.quotas().begin(), run.quotas().end()});
      return pick ? queue[pick->index].application : std::string();
    }();
    ASSERT_FALSE(expected.empty());
    v1::Offer answer;
    grpc::Status ds = Respond(declined.name(), v1::OFFER_REPLY_DECLINE,
                              TestEnv::ApplicantToken(Applicant(ApplicantIndex(declined.application()))), &answer);
    ASSERT_TRUE(ds.ok()) << ds.error_message();
    EXPECT_EQ(answer.state(), v1::OFFER_STATE_DECLINED);
    EXPECT_EQ(LoadApp(declined.application()).state(), v1::APPLICATION_STATE_DECLINED);
    const v1::Application refilled = LoadApp(expected);
    EXPECT_EQ(refilled.state(), v1::APPLICATION_STATE_SELECTED) << expected;
    EXPECT_FALSE(refilled.offer().empty());
  }
  EXPECT_EQ(Offers(v1::OFFER_STATE_OPEN).size(), 40u);
  CheckQuotas();
  {
    auto events = env_->PendingEvents();
    ASSERT_TRUE(events.ok());
    int from_waitlist = 0, declines = 0;
    for (const auto& e : *events) {
      from_waitlist += e.has_offer_made() && e.offer_made().from_waitlist();
      declines += e.has_offer_declined();
    }
    EXPECT_EQ(from_waitlist, 3);
    EXPECT_EQ(declines, 3);
  }
  // Answering twice is refused.
  EXPECT_EQ(Respond(open[0].name(), v1::OFFER_REPLY_ACCEPT, TestEnv::ApplicantToken(Applicant(owner)), &got).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // --- withdrawing a selected application closes its offer and refills the seat ---
  {
    std::set<std::string> first_round;
    for (const v1::Offer& o : open) first_round.insert(o.name());
    v1::Offer refill_offer;
    for (const v1::Offer& o : Offers(v1::OFFER_STATE_OPEN)) {
      if (!first_round.count(o.name())) refill_offer = o;
    }
    ASSERT_FALSE(refill_offer.name().empty());
    const std::string expected = ExpectedRefill(run, refill_offer.application());
    ASSERT_FALSE(expected.empty());
    v1::WithdrawApplicationRequest w;
    w.set_name(refill_offer.application());
    w.set_reason("передумали");
    v1::Application withdrawn;
    grpc::Status ws = stub.WithdrawApplication(
        TestEnv::Ctx(TestEnv::ApplicantToken(Applicant(ApplicantIndex(refill_offer.application())))).get(), w,
        &withdrawn);
    ASSERT_TRUE(ws.ok()) << ws.error_message();
    EXPECT_EQ(withdrawn.state(), v1::APPLICATION_STATE_WITHDRAWN);
    v1::GetOfferRequest g;
    g.set_name(refill_offer.name());
    v1::Offer closed;
    ASSERT_TRUE(stub.GetOffer(TestEnv::Ctx(organiser).get(), g, &closed).ok());
    EXPECT_EQ(closed.state(), v1::OFFER_STATE_DECLINED);
    EXPECT_EQ(LoadApp(expected).state(), v1::APPLICATION_STATE_SELECTED) << expected;
    EXPECT_EQ(Offers(v1::OFFER_STATE_OPEN).size(), 40u);
    CheckQuotas();
  }

  // --- accept all first-round offers but one; that one expires and is refilled ---
  const std::string late = open[3].name();
  for (size_t k = 4; k < open.size(); ++k) {
    v1::Offer answer;
    grpc::Status as = Respond(open[k].name(), v1::OFFER_REPLY_ACCEPT,
                              TestEnv::ApplicantToken(Applicant(ApplicantIndex(open[k].application()))), &answer);
    ASSERT_TRUE(as.ok()) << as.error_message();
    EXPECT_EQ(answer.state(), v1::OFFER_STATE_ACCEPTED);
  }
  env_->clock().Set(env_->clock().Now() + absl::Hours(71) + absl::Minutes(1));  // past the first round's deadline
  const std::string expected_after_expiry = ExpectedRefill(run);  // the expired one does not hold a seat
  absl::StatusOr<int> expired = ExpireDueOffers(env_->database(), env_->clock().Now());
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(LoadApp(open[3].application()).state(), v1::APPLICATION_STATE_EXPIRED);
  {
    v1::GetOfferRequest g;
    g.set_name(late);
    ASSERT_TRUE(stub.GetOffer(TestEnv::Ctx(organiser).get(), g, &got).ok());
    EXPECT_EQ(got.state(), v1::OFFER_STATE_EXPIRED);
  }
  (void)expected_after_expiry;
  EXPECT_EQ(Offers(v1::OFFER_STATE_OPEN).size(), 4u);  // three refills and the new one
  EXPECT_EQ(*ExpireDueOffers(env_->database(), env_->clock().Now()), 0);

  // --- concurrency: ten accepts race for the last four seats ---
  ASSERT_TRUE(env_->database()
                  .InTransaction(db::TxMode::kWrite,
                                 [&](soci::session& s) -> absl::Status {
                                   // Extra offers by construction, beyond what the seats allow.
                                   auto p = store::LoadProgramme(s, kProgramme);
                                   if (!p.ok()) return p.status();
                                   int made = 0;
                                   for (const auto& d : run.decisions()) {
                                     if (made == 6) break;
                                     auto a = store::LoadApplication(s, d.application());
                                     if (!a.ok()) return a.status();
                                     if ((*a)->state() != v1::APPLICATION_STATE_WAITLISTED) continue;
                                     v1::Application app = **a;
                                     auto o = MakeOffer(s, **p, app, env_->clock().Now(), true, FlowActor{});
                                     if (!o.ok()) return o.status();
                                     ++made;
                                   }
                                   return made == 6 ? absl::OkStatus() : absl::InternalError("not enough waitlisted");
                                 })
                  .ok());
  std::vector<v1::Offer> racing = Offers(v1::OFFER_STATE_OPEN);
  ASSERT_EQ(racing.size(), 10u);
  std::atomic<int> ok{0}, exhausted{0}, other_error{0};
  std::vector<std::thread> threads;
  for (const v1::Offer& o : racing) {
    threads.emplace_back([&, o] {
      v1::Offer answer;
      grpc::Status rs = Respond(o.name(), v1::OFFER_REPLY_ACCEPT,
                                TestEnv::ApplicantToken(Applicant(ApplicantIndex(o.application()))), &answer);
      if (rs.ok()) {
        ++ok;
      } else if (rs.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
                 GetErrorInfo(FromGrpcStatus(rs)).value_or(ErrorInfo{}).reason == "SEATS_EXHAUSTED") {
        ++exhausted;
      } else {
        ++other_error;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(exhausted.load(), 6);
  EXPECT_EQ(other_error.load(), 0);
  EXPECT_EQ(AppsIn({v1::APPLICATION_STATE_CONFIRMED}).size(), 40u);

  // --- participants and progress ---
  v1::ListParticipantsRequest lp;
  lp.set_parent(kProgramme);
  lp.set_page_size(15);
  std::set<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    v1::ListParticipantsResponse resp;
    ASSERT_TRUE(stub.ListParticipants(TestEnv::Ctx(organiser).get(), lp, &resp).ok());
    EXPECT_EQ(resp.total_size(), 40);
    for (const auto& p : resp.participants()) seen.insert(p.name());
    if (resp.next_page_token().empty()) break;
    lp.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen.size(), 40u);
  lp.set_page_token("");
  lp.set_region("RU-MOW");
  v1::ListParticipantsResponse by_region;
  ASSERT_TRUE(stub.ListParticipants(TestEnv::Ctx(TestEnv::Token("scheduling", {auth::Role::kService})).get(), lp,
                                    &by_region)
                  .ok());
  EXPECT_LE(by_region.total_size(), 5);
  for (const auto& p : by_region.participants()) EXPECT_EQ(p.organisation().region(), "RU-MOW");
  EXPECT_EQ(stub.ListParticipants(TestEnv::Ctx(TestEnv::ApplicantToken(Applicant(owner))).get(), lp, &by_region)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::GetRegistrationProgressRequest rp;
  rp.set_programme(kProgramme);
  v1::RegistrationProgress reg;
  ASSERT_TRUE(stub.GetRegistrationProgress(TestEnv::Ctx(organiser).get(), rp, &reg).ok());
  EXPECT_EQ(reg.seats(), 40);
  EXPECT_EQ(reg.participants(), 40);
  EXPECT_EQ(reg.open_offers(), 6);
  ASSERT_EQ(reg.targets_size(), 1);
  EXPECT_EQ(reg.targets(0).actual(), 40);
  EXPECT_EQ(reg.targets(0).target(), 40);
  int counted = 0;
  for (const auto& c : reg.applications()) counted += c.count();
  EXPECT_EQ(counted, kApplications);

  // --- the sweeper loop expires the six refused offers once their deadline passes ---
  env_->clock().Advance(absl::Hours(73));
  OfferSweeper sweeper(env_->context(), absl::Milliseconds(10));
  ASSERT_TRUE(sweeper.Start().ok());
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (!Offers(v1::OFFER_STATE_OPEN).empty() && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(20));
  sweeper.Stop();
  EXPECT_TRUE(Offers(v1::OFFER_STATE_OPEN).empty());
  EXPECT_EQ(Offers(v1::OFFER_STATE_EXPIRED).size(), 7u);
  EXPECT_EQ(AppsIn({v1::APPLICATION_STATE_CONFIRMED}).size(), 40u);  // no refill past the seats
}

TEST_P(SelectionFlowTest, CallersWithoutTheRightRoleAreRefused) {
  auto& stub = env_->stub();
  v1::SelectionRun run;
  EXPECT_EQ(stub.RunSelection(TestEnv::Ctx("").get(), SelectionRequest(true), &run).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub.RunSelection(TestEnv::Ctx(TestEnv::ApplicantToken(Applicant(1))).get(), SelectionRequest(true), &run)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetReviewProgressRequest progress;
  progress.set_programme(kProgramme);
  v1::ReviewProgress out;
  EXPECT_EQ(stub.GetReviewProgress(TestEnv::Ctx(TestEnv::ReviewerToken("reviewer-1")).get(), progress, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::AssignReviewersRequest assign;
  assign.set_parent(kProgramme);
  assign.add_reviewers("reviewer-1");
  assign.set_reviewers_per_application(2);
  v1::AssignReviewersResponse assigned;
  grpc::Status bad = stub.AssignReviewers(TestEnv::Ctx(TestEnv::OrganiserToken()).get(), assign, &assigned);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Violations(bad), ::testing::ElementsAre("reviewers_per_application"));
  EXPECT_EQ(Descriptions(bad)["reviewers_per_application"], "должно быть от 1 до числа рецензентов");
  const grpc::Status bad_en =
      stub.AssignReviewers(TestEnv::Ctx(TestEnv::OrganiserToken(), "en").get(), assign, &assigned);
  EXPECT_EQ(bad_en.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Descriptions(bad_en)["reviewers_per_application"], "must be between 1 and the number of reviewers");
  v1::RunSelectionRequest missing = SelectionRequest(true);
  missing.set_parent("programmes/nope");
  EXPECT_EQ(stub.RunSelection(TestEnv::Ctx(TestEnv::OrganiserToken()).get(), missing, &run).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Nothing reviewed yet: a preview rejects everyone as unreviewed, and says so.
  ASSERT_TRUE(stub.RunSelection(TestEnv::Ctx(TestEnv::OrganiserToken()).get(), SelectionRequest(true), &run).ok());
  ASSERT_EQ(run.decisions_size(), kApplications);
  for (const auto& d : run.decisions()) {
    EXPECT_EQ(d.outcome(), v1::SELECTION_OUTCOME_REJECTED);
    EXPECT_THAT(d.explanation(), ::testing::HasSubstr("not reviewed"));
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, SelectionFlowTest, ::testing::Values(db::Engine::kSqlite, db::Engine::kPostgres),
                         [](const ::testing::TestParamInfo<db::Engine>& info) {
                           return info.param == db::Engine::kSqlite ? std::string("Sqlite") : std::string("Postgres");
                         });

}  // namespace
}  // namespace etnik::registration
