// The registration core over gRPC, on SQLite and PostgreSQL with a real Redis: programmes, forms,
// applications from draft to submission, deadlines, idempotency, one application per
// organisation under concurrency, malformed requests, authorisation and the public cache.

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/registration/api/test_env.h"
#include "soci/soci.h"

namespace etnik::registration {
namespace {

namespace v1 = etnik::registration::v1;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::TestEnv;

// 2021-04-12T23:59:59+03:00, the competition's deadline.
const absl::Time kDeadline = absl::FromUnixSeconds(1618261199);
const absl::Time kOpen = absl::FromUnixSeconds(1617656400);  // 2021-04-06T00:00:00+03:00
const absl::Time kStart = kOpen + absl::Hours(24);
const std::string kProgramme = "programmes/etnik-2021";

google::protobuf::Timestamp Ts(absl::Time t) {
  return google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(t));
}

// A 10-digit INN with a valid check digit.
std::string Inn(int n) {
  std::string d = absl::StrFormat("77%07d", n);
  const int w[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[i] - '0') * w[i];
  return absl::StrCat(d, (sum % 11) % 10);
}

absl::Status Details(const grpc::Status& s) { return FromGrpcStatus(s); }
std::string Reason(const grpc::Status& s) {
  std::optional<ErrorInfo> info = GetErrorInfo(Details(s));
  return info ? info->reason : "";
}
std::vector<FieldViolation> Violations(const grpc::Status& s) { return GetFieldViolations(Details(s)); }
std::vector<std::string> Fields(const grpc::Status& s) {
  std::vector<std::string> out;
  for (const FieldViolation& v : Violations(s)) out.push_back(v.field);
  return out;
}
bool HasCyrillic(const std::string& s) { return absl::StrContains(s, "\xD0") || absl::StrContains(s, "\xD1"); }

v1::Programme DemoProgramme() {
  v1::Programme p;
  p.mutable_title()->set_ru("ЭтНик: ресурсное сообщество");
  p.mutable_title()->set_en("EtNik: resource community");
  p.set_time_zone("Europe/Moscow");
  p.set_seats(40);
  v1::Stage* st = p.add_stages();
  st->set_stage_id("selection");
  st->set_kind(etnik::common::v1::STAGE_KIND_SELECTION);
  st->mutable_title()->set_ru("Конкурсный отбор");
  *st->mutable_window()->mutable_start_time() = Ts(kOpen);
  *st->mutable_window()->mutable_end_time() = Ts(kDeadline);
  auto* t = st->add_targets();
  t->set_metric(etnik::common::v1::TARGET_METRIC_PARTICIPANTS);
  t->set_value(40);
  v1::ReviewCriterion* c = p.add_review_criteria();
  c->set_criterion_id("relevance");
  c->mutable_title()->set_ru("Актуальность");
  c->set_weight(1);
  c->set_max_score(10);
  return p;
}

v1::Form ApplicationForm() {
  v1::Form f;
  f.set_purpose(v1::FORM_PURPOSE_APPLICATION);
  f.mutable_title()->set_ru("Анкета участника");
  f.mutable_title()->set_en("Participant questionnaire");
  v1::Question* q = f.add_questions();
  q->set_question_id("direction");
  q->set_type(v1::QUESTION_TYPE_SINGLE_CHOICE);
  q->mutable_text()->set_ru("Направление работы");
  q->mutable_text()->set_en("Field of work");
  q->set_required(true);
  for (auto [value, ru] : {std::pair{"media", "Медиапроекты"}, std::pair{"crafts", "Народные промыслы"}}) {
    v1::Choice* c = q->add_choices();
    c->set_value(value);
    c->mutable_label()->set_ru(ru);
  }
  q = f.add_questions();
  q->set_question_id("experience");
  q->set_type(v1::QUESTION_TYPE_LONG_TEXT);
  q->mutable_text()->set_ru("Опыт организации");
  q->mutable_text()->set_en("Experience");
  q->set_required(true);
  *f.mutable_open_time() = Ts(kOpen);
  *f.mutable_close_time() = Ts(kDeadline);
  return f;
}

v1::Application ValidApplication(const std::string& inn, const std::string& name = "АНО «Ресурсный центр»") {
  v1::Application a;
  v1::Organisation* o = a.mutable_organisation();
  o->set_full_name(name);
  o->set_inn(inn);
  o->set_region("RU-SMO");
  o->set_city("Смоленск");
  v1::ContactPerson* c = a.mutable_contact_person();
  c->set_full_name("Иванова Мария Петровна");
  c->mutable_contact()->set_email("maria@example.org");
  v1::Answer* ans = a.add_answers();
  ans->set_question_id("direction");
  ans->mutable_choices()->add_values("media");
  ans = a.add_answers();
  ans->set_question_id("experience");
  ans->set_text("Проводим этнографические экспедиции с 2015 года");
  return a;
}

class RegistrationApiTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestEnv>> env = TestEnv::Create(GetParam(), kStart);
    ASSERT_TRUE(env.ok()) << env.status();
    env_ = *std::move(env);
    organiser_ = TestEnv::OrganiserToken();
  }

  v1::RegistrationService::Stub& stub() { return env_->stub(); }

  void MakeProgrammeAndForm() {
    v1::CreateProgrammeRequest req;
    *req.mutable_programme() = DemoProgramme();
    req.set_programme_id("etnik-2021");
    v1::Programme p;
    grpc::Status s = stub().CreateProgramme(TestEnv::Ctx(organiser_).get(), req, &p);
    ASSERT_TRUE(s.ok()) << s.error_message();
    v1::CreateFormRequest freq;
    freq.set_parent(kProgramme);
    freq.set_form_id("application");
    *freq.mutable_form() = ApplicationForm();
    v1::Form f;
    s = stub().CreateForm(TestEnv::Ctx(organiser_).get(), freq, &f);
    ASSERT_TRUE(s.ok()) << s.error_message() << " " << absl::StrJoin(Fields(s), ",");
  }

  grpc::Status Create(const std::string& token, const v1::Application& a, v1::Application* out,
                      const std::string& id = "") {
    v1::CreateApplicationRequest req;
    req.set_parent(kProgramme);
    *req.mutable_application() = a;
    req.set_application_id(id);
    return stub().CreateApplication(TestEnv::Ctx(token).get(), req, out);
  }

  grpc::Status Submit(const std::string& token, const std::string& name, v1::Application* out,
                      const std::string& request_id = "") {
    v1::SubmitApplicationRequest req;
    req.set_name(name);
    req.set_request_id(request_id);
    return stub().SubmitApplication(TestEnv::Ctx(token).get(), req, out);
  }

  int CountEvents(etnik::events::v1::DomainEvent::PayloadCase which) {
    absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> events = env_->PendingEvents();
    EXPECT_TRUE(events.ok()) << events.status();
    int n = 0;
    if (events.ok()) {
      for (const auto& e : *events) n += e.payload_case() == which;
    }
    return n;
  }

  std::unique_ptr<TestEnv> env_;
  std::string organiser_;
};

TEST_P(RegistrationApiTest, CoreFlowFromProgrammeToExport) {
  MakeProgrammeAndForm();
  // Public reads need no token.
  v1::Programme p;
  v1::GetProgrammeRequest gp;
  gp.set_name(kProgramme);
  ASSERT_TRUE(stub().GetProgramme(TestEnv::Ctx("").get(), gp, &p).ok());
  EXPECT_EQ(p.seats(), 40);
  EXPECT_FALSE(p.etag().empty());
  v1::ListProgrammesResponse programmes;
  ASSERT_TRUE(stub().ListProgrammes(TestEnv::Ctx("").get(), {}, &programmes).ok());
  ASSERT_EQ(programmes.programmes_size(), 1);
  v1::ListFormsRequest lf;
  lf.set_parent(kProgramme);
  v1::ListFormsResponse forms;
  ASSERT_TRUE(stub().ListForms(TestEnv::Ctx("").get(), lf, &forms).ok());
  ASSERT_EQ(forms.forms_size(), 1);
  v1::GetFormRequest gf;
  gf.set_name(forms.forms(0).name());
  v1::Form form;
  ASSERT_TRUE(stub().GetForm(TestEnv::Ctx("").get(), gf, &form).ok());
  EXPECT_EQ(form.questions_size(), 2);
  EXPECT_EQ(CountEvents(etnik::events::v1::DomainEvent::kProgrammeStageChanged), 1);

  // An applicant drafts, completes and submits.
  const std::string alice = TestEnv::ApplicantToken("alice");
  v1::Application draft = ValidApplication(Inn(1));
  draft.clear_answers();
  v1::Application created;
  grpc::Status s = Create(alice, draft, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(created.state(), v1::APPLICATION_STATE_DRAFT);
  EXPECT_EQ(created.applicant(), "alice");
  EXPECT_EQ(created.form(), kProgramme + "/forms/application");

  // Submitting an incomplete draft lists every missing answer.
  v1::Application submitted;
  s = Submit(alice, created.name(), &submitted);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(s), Contains("application.answers[direction]"));
  EXPECT_THAT(Fields(s), Contains("application.answers[experience]"));

  v1::UpdateApplicationRequest up;
  *up.mutable_application() = ValidApplication(Inn(1));
  up.mutable_application()->set_name(created.name());
  up.mutable_application()->set_etag(created.etag());
  up.mutable_update_mask()->add_paths("answers");
  v1::Application updated;
  s = stub().UpdateApplication(TestEnv::Ctx(alice).get(), up, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(updated.answers_size(), 2);
  // The old etag no longer matches.
  s = stub().UpdateApplication(TestEnv::Ctx(alice).get(), up, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);

  s = Submit(alice, created.name(), &submitted);
  ASSERT_TRUE(s.ok()) << s.error_message() << " " << absl::StrJoin(Fields(s), ",");
  EXPECT_EQ(submitted.state(), v1::APPLICATION_STATE_SUBMITTED);
  EXPECT_EQ(CountEvents(etnik::events::v1::DomainEvent::kApplicationSubmitted), 1);
  // Submitted applications are read-only for the applicant.
  up.mutable_application()->set_etag("");
  s = stub().UpdateApplication(TestEnv::Ctx(alice).get(), up, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(s), "APPLICATION_NOT_DRAFT");

  // A second organisation; the organiser sees both, filtered and counted.
  const std::string bob = TestEnv::ApplicantToken("bob");
  v1::Application second;
  ASSERT_TRUE(Create(bob, ValidApplication(Inn(2), "Фонд «Родные языки»"), &second).ok());
  v1::ListApplicationsRequest la;
  la.set_parent(kProgramme);
  v1::ListApplicationsResponse list;
  ASSERT_TRUE(stub().ListApplications(TestEnv::Ctx(organiser_).get(), la, &list).ok());
  EXPECT_EQ(list.total_size(), 2);
  la.add_states(v1::APPLICATION_STATE_SUBMITTED);
  ASSERT_TRUE(stub().ListApplications(TestEnv::Ctx(organiser_).get(), la, &list).ok());
  ASSERT_EQ(list.total_size(), 1);
  EXPECT_EQ(list.applications(0).name(), created.name());
  // Pages of one, with a token that carries on.
  la.clear_states();
  la.set_page_size(1);
  ASSERT_TRUE(stub().ListApplications(TestEnv::Ctx(organiser_).get(), la, &list).ok());
  ASSERT_EQ(list.applications_size(), 1);
  ASSERT_FALSE(list.next_page_token().empty());
  la.set_page_token(list.next_page_token());
  v1::ListApplicationsResponse page2;
  ASSERT_TRUE(stub().ListApplications(TestEnv::Ctx(organiser_).get(), la, &page2).ok());
  ASSERT_EQ(page2.applications_size(), 1);
  EXPECT_NE(page2.applications(0).name(), list.applications(0).name());
  EXPECT_TRUE(page2.next_page_token().empty());

  // Export: Cyrillic intact, headers in the requested language, drafts left out.
  v1::ExportApplicationsRequest ex;
  ex.set_parent(kProgramme);
  v1::ExportApplicationsResponse csv;
  ASSERT_TRUE(stub().ExportApplications(TestEnv::Ctx(organiser_).get(), ex, &csv).ok());
  EXPECT_EQ(csv.row_count(), 1);
  EXPECT_EQ(csv.content_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.filename(), "etnik-2021-applications.csv");
  EXPECT_TRUE(absl::StartsWith(csv.csv_data(), "\xEF\xBB\xBF"));
  EXPECT_THAT(csv.csv_data(), HasSubstr("ИНН"));
  EXPECT_THAT(csv.csv_data(), HasSubstr("Направление работы"));
  EXPECT_THAT(csv.csv_data(), HasSubstr("АНО «Ресурсный центр»"));
  EXPECT_THAT(csv.csv_data(), HasSubstr("Медиапроекты"));
  EXPECT_THAT(csv.csv_data(), HasSubstr("\r\n"));
  ex.set_language(etnik::common::v1::LANGUAGE_EN);
  ASSERT_TRUE(stub().ExportApplications(TestEnv::Ctx(organiser_).get(), ex, &csv).ok());
  EXPECT_THAT(csv.csv_data(), HasSubstr("INN"));
  EXPECT_THAT(csv.csv_data(), HasSubstr("Field of work"));

  // Withdrawal.
  v1::WithdrawApplicationRequest wd;
  wd.set_name(created.name());
  wd.set_reason("Передумали");
  v1::Application withdrawn;
  ASSERT_TRUE(stub().WithdrawApplication(TestEnv::Ctx(alice).get(), wd, &withdrawn).ok());
  EXPECT_EQ(withdrawn.state(), v1::APPLICATION_STATE_WITHDRAWN);

  // Drafts can be deleted by their applicant.
  v1::DeleteApplicationRequest del;
  del.set_name(second.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub().DeleteApplication(TestEnv::Ctx(bob).get(), del, &empty).ok());
  v1::GetApplicationRequest ga;
  ga.set_name(second.name());
  v1::Application gone;
  EXPECT_EQ(stub().GetApplication(TestEnv::Ctx(organiser_).get(), ga, &gone).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_P(RegistrationApiTest, FormChangesAreRefusedOnceQuestionsAreAnswered) {
  MakeProgrammeAndForm();
  v1::Application a;
  ASSERT_TRUE(Create(TestEnv::ApplicantToken("alice"), ValidApplication(Inn(3)), &a).ok());
  v1::GetFormRequest gf;
  gf.set_name(kProgramme + "/forms/application");
  v1::Form form;
  ASSERT_TRUE(stub().GetForm(TestEnv::Ctx("").get(), gf, &form).ok());

  v1::UpdateFormRequest uf;
  *uf.mutable_form() = form;
  uf.mutable_form()->mutable_questions(1)->mutable_text()->set_ru("Другой вопрос");
  v1::Form out;
  grpc::Status s = stub().UpdateForm(TestEnv::Ctx(organiser_).get(), uf, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(s), "QUESTIONS_ANSWERED");
  // Adding a question is fine.
  *uf.mutable_form() = form;
  v1::Question* q = uf.mutable_form()->add_questions();
  q->set_question_id("website");
  q->set_type(v1::QUESTION_TYPE_URL);
  q->mutable_text()->set_ru("Сайт");
  s = stub().UpdateForm(TestEnv::Ctx(organiser_).get(), uf, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.questions_size(), 3);
  // The cached form shows the change.
  ASSERT_TRUE(stub().GetForm(TestEnv::Ctx("").get(), gf, &form).ok());
  EXPECT_EQ(form.questions_size(), 3);

  v1::DeleteFormRequest df;
  df.set_name(gf.name());
  google::protobuf::Empty empty;
  s = stub().DeleteForm(TestEnv::Ctx(organiser_).get(), df, &empty);
  EXPECT_EQ(Reason(s), "FORM_IN_USE");
}

TEST_P(RegistrationApiTest, DeadlineIsTheLastSecondOfTwelfthAprilMoscowTime) {
  MakeProgrammeAndForm();
  const std::string alice = TestEnv::ApplicantToken("alice"), bob = TestEnv::ApplicantToken("bob");
  v1::Application a, b, out;
  ASSERT_TRUE(Create(alice, ValidApplication(Inn(10)), &a).ok());
  ASSERT_TRUE(Create(bob, ValidApplication(Inn(11)), &b).ok());

  env_->clock().Set(kDeadline);  // 2021-04-12T23:59:59+03:00: still accepted
  grpc::Status s = Submit(alice, a.name(), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();

  env_->clock().Set(kDeadline + absl::Seconds(1));
  s = Submit(bob, b.name(), &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(s), "DEADLINE_PASSED");
  EXPECT_THAT(s.error_message(), HasSubstr("12 апреля 2021"));
  EXPECT_THAT(s.error_message(), HasSubstr("23:59:59"));
  std::optional<ErrorInfo> info = GetErrorInfo(Details(s));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->metadata["deadline"], "2021-04-12T23:59:59+03:00");
  // Creating and editing are refused too.
  v1::Application c;
  s = Create(TestEnv::ApplicantToken("carol"), ValidApplication(Inn(12)), &c);
  EXPECT_EQ(Reason(s), "DEADLINE_PASSED");
  v1::UpdateApplicationRequest up;
  *up.mutable_application() = b;
  s = stub().UpdateApplication(TestEnv::Ctx(bob).get(), up, &out);
  EXPECT_EQ(Reason(s), "DEADLINE_PASSED");
}

TEST_P(RegistrationApiTest, RepeatedSubmitWithTheSameRequestIdReturnsTheFirstResult) {
  MakeProgrammeAndForm();
  const std::string alice = TestEnv::ApplicantToken("alice");
  v1::Application a, first, again;
  ASSERT_TRUE(Create(alice, ValidApplication(Inn(20)), &a).ok());
  ASSERT_TRUE(Submit(alice, a.name(), &first, "submit-1").ok());
  env_->clock().Advance(absl::Minutes(5));
  grpc::Status s = Submit(alice, a.name(), &again, "submit-1");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(CountEvents(etnik::events::v1::DomainEvent::kApplicationSubmitted), 1);
  // Without the key, a second submission is an error, not a silent repeat.
  s = Submit(alice, a.name(), &again);
  EXPECT_EQ(Reason(s), "APPLICATION_NOT_DRAFT");
}

TEST_P(RegistrationApiTest, OneApplicationPerOrganisation) {
  MakeProgrammeAndForm();
  v1::Application a, b;
  ASSERT_TRUE(Create(TestEnv::ApplicantToken("alice"), ValidApplication(Inn(30)), &a).ok());
  grpc::Status s = Create(TestEnv::ApplicantToken("bob"), ValidApplication(Inn(30)), &b);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  std::optional<ErrorInfo> info = GetErrorInfo(Details(s));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, "APPLICATION_EXISTS");
  EXPECT_EQ(info->metadata["application"], a.name());
}

TEST_P(RegistrationApiTest, ConcurrentApplicantsNeverGetTwoApplicationsForOneOrganisation) {
  MakeProgrammeAndForm();
  constexpr int kClients = 64, kOrganisations = 16;
  std::atomic<int> created{0}, duplicates{0}, other{0};
  std::vector<std::atomic<int>> submitted_per_inn(kOrganisations);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      const std::string token = TestEnv::ApplicantToken(absl::StrCat("applicant-", i));
      v1::Application a, out;
      grpc::Status s = Create(token, ValidApplication(Inn(100 + i % kOrganisations)), &a);
      if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        ++duplicates;
        return;
      }
      if (!s.ok()) {
        ++other;
        ADD_FAILURE() << s.error_message();
        return;
      }
      ++created;
      s = Submit(token, a.name(), &out, absl::StrCat("submit-", i));
      if (s.ok()) {
        ++submitted_per_inn[i % kOrganisations];
      } else {
        ++other;
        ADD_FAILURE() << s.error_message();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), kOrganisations);
  EXPECT_EQ(duplicates.load(), kClients - kOrganisations);
  EXPECT_EQ(other.load(), 0);
  for (auto& n : submitted_per_inn) EXPECT_EQ(n.load(), 1);
  // The table agrees.
  long long rows = 0, distinct = 0;
  ASSERT_TRUE(env_->database()
                  .InTransaction(db::TxMode::kRead,
                                 [&](soci::session& s) -> absl::Status {
                                   s << "SELECT COUNT(*), COUNT(DISTINCT organisation_inn) FROM applications",
                                       soci::into(rows), soci::into(distinct);
                                   return absl::OkStatus();
                                 })
                  .ok());
  EXPECT_EQ(rows, kOrganisations);
  EXPECT_EQ(distinct, kOrganisations);
  EXPECT_EQ(CountEvents(etnik::events::v1::DomainEvent::kApplicationSubmitted), kOrganisations);
}

// One malformed request per case: INVALID_ARGUMENT naming the field, described in Russian by
// default and in English for accept-language: en.
TEST_P(RegistrationApiTest, MalformedRequestsNameTheirFieldsInTheCallersLanguage) {
  MakeProgrammeAndForm();
  const std::string alice = TestEnv::ApplicantToken("alice");
  v1::Application draft;
  ASSERT_TRUE(Create(alice, ValidApplication(Inn(40)), &draft).ok());
  v1::Application incomplete = ValidApplication(Inn(41));
  incomplete.mutable_organisation()->clear_full_name();
  incomplete.mutable_contact_person()->mutable_contact()->set_email("not-an-email");
  v1::Application incomplete_created;
  ASSERT_TRUE(Create(TestEnv::ApplicantToken("dan"), incomplete, &incomplete_created).ok());

  using Call = std::function<grpc::Status(const std::string& lang)>;
  struct Case {
    std::string name;
    std::string field;
    Call call;
  };
  auto ctx = [&](const std::string& token, const std::string& lang) { return TestEnv::Ctx(token, lang); };
  std::vector<Case> cases;
  auto programme_case = [&](std::string name, std::string field, std::function<void(v1::Programme&)> edit) {
    cases.push_back({name, field, [&, edit](const std::string& lang) {
                       v1::CreateProgrammeRequest req;
                       *req.mutable_programme() = DemoProgramme();
                       edit(*req.mutable_programme());
                       v1::Programme out;
                       return stub().CreateProgramme(ctx(organiser_, lang).get(), req, &out);
                     }});
  };
  programme_case("bad zone", "programme.time_zone", [](v1::Programme& p) { p.set_time_zone("Moscow/Nowhere"); });
  programme_case("no seats", "programme.seats", [](v1::Programme& p) { p.set_seats(0); });
  programme_case("zero weight", "programme.review_criteria[0].weight",
                 [](v1::Programme& p) { p.mutable_review_criteria(0)->set_weight(0); });
  programme_case("no title", "programme.title", [](v1::Programme& p) { p.clear_title(); });
  programme_case("backwards window", "programme.stages[0].window", [](v1::Programme& p) {
    std::swap(*p.mutable_stages(0)->mutable_window()->mutable_start_time(),
              *p.mutable_stages(0)->mutable_window()->mutable_end_time());
  });
  cases.push_back({"bad programme id", "programme_id", [&](const std::string& lang) {
                     v1::CreateProgrammeRequest req;
                     *req.mutable_programme() = DemoProgramme();
                     req.set_programme_id("Bad_Id");
                     v1::Programme out;
                     return stub().CreateProgramme(ctx(organiser_, lang).get(), req, &out);
                   }});
  cases.push_back({"bad programme name", "name", [&](const std::string& lang) {
                     v1::GetProgrammeRequest req;
                     req.set_name("projects/x");
                     v1::Programme out;
                     return stub().GetProgramme(ctx("", lang).get(), req, &out);
                   }});
  cases.push_back({"update mask", "update_mask", [&](const std::string& lang) {
                     v1::UpdateProgrammeRequest req;
                     req.mutable_programme()->set_name(kProgramme);
                     req.mutable_update_mask()->add_paths("create_time");
                     v1::Programme out;
                     return stub().UpdateProgramme(ctx(organiser_, lang).get(), req, &out);
                   }});
  cases.push_back({"negative page size", "page_size", [&](const std::string& lang) {
                     v1::ListProgrammesRequest req;
                     req.set_page_size(-1);
                     v1::ListProgrammesResponse out;
                     return stub().ListProgrammes(ctx("", lang).get(), req, &out);
                   }});
  cases.push_back({"forged page token", "page_token", [&](const std::string& lang) {
                     v1::ListFormsRequest req;
                     req.set_parent(kProgramme);
                     req.set_page_token("bm90LWEtdG9rZW4");
                     v1::ListFormsResponse out;
                     return stub().ListForms(ctx("", lang).get(), req, &out);
                   }});
  cases.push_back({"form without purpose", "form.purpose", [&](const std::string& lang) {
                     v1::CreateFormRequest req;
                     req.set_parent(kProgramme);
                     *req.mutable_form() = ApplicationForm();
                     req.mutable_form()->clear_purpose();
                     v1::Form out;
                     return stub().CreateForm(ctx(organiser_, lang).get(), req, &out);
                   }});
  cases.push_back({"form bad form name", "name", [&](const std::string& lang) {
                     v1::GetFormRequest req;
                     req.set_name(kProgramme + "/forms/");
                     v1::Form out;
                     return stub().GetForm(ctx("", lang).get(), req, &out);
                   }});
  cases.push_back({"application bad INN", "application.organisation.inn", [&](const std::string& lang) {
                     v1::CreateApplicationRequest req;
                     req.set_parent(kProgramme);
                     *req.mutable_application() = ValidApplication("7700000001");
                     v1::Application out;
                     return stub().CreateApplication(ctx(alice, lang).get(), req, &out);
                   }});
  cases.push_back({"application missing INN", "application.organisation.inn", [&](const std::string& lang) {
                     v1::CreateApplicationRequest req;
                     req.set_parent(kProgramme);
                     *req.mutable_application() = ValidApplication("");
                     v1::Application out;
                     return stub().CreateApplication(ctx(alice, lang).get(), req, &out);
                   }});
  cases.push_back({"application not a choice", "application.answers[direction]", [&](const std::string& lang) {
                     v1::CreateApplicationRequest req;
                     req.set_parent(kProgramme);
                     *req.mutable_application() = ValidApplication(Inn(42));
                     req.mutable_application()->mutable_answers(0)->mutable_choices()->set_values(0, "sports");
                     v1::Application out;
                     return stub().CreateApplication(ctx(alice, lang).get(), req, &out);
                   }});
  cases.push_back({"submit without name", "application.organisation.full_name", [&](const std::string& lang) {
                     v1::Application out;
                     v1::SubmitApplicationRequest req;
                     req.set_name(incomplete_created.name());
                     return stub().SubmitApplication(ctx(TestEnv::ApplicantToken("dan"), lang).get(), req, &out);
                   }});
  cases.push_back({"submit bad e-mail", "application.contact_person.contact.email", [&](const std::string& lang) {
                     v1::Application out;
                     v1::SubmitApplicationRequest req;
                     req.set_name(incomplete_created.name());
                     return stub().SubmitApplication(ctx(TestEnv::ApplicantToken("dan"), lang).get(), req, &out);
                   }});
  cases.push_back({"list unknown order", "order_by", [&](const std::string& lang) {
                     v1::ListApplicationsRequest req;
                     req.set_parent(kProgramme);
                     req.set_order_by("random");
                     v1::ListApplicationsResponse out;
                     return stub().ListApplications(ctx(organiser_, lang).get(), req, &out);
                   }});
  cases.push_back({"list unknown region", "region", [&](const std::string& lang) {
                     v1::ListApplicationsRequest req;
                     req.set_parent(kProgramme);
                     req.set_region("RU-XXX");
                     v1::ListApplicationsResponse out;
                     return stub().ListApplications(ctx(organiser_, lang).get(), req, &out);
                   }});
  cases.push_back({"update application mask", "update_mask", [&](const std::string& lang) {
                     v1::UpdateApplicationRequest req;
                     req.mutable_application()->set_name(draft.name());
                     req.mutable_update_mask()->add_paths("state");
                     v1::Application out;
                     return stub().UpdateApplication(ctx(alice, lang).get(), req, &out);
                   }});
  cases.push_back({"export bad parent", "parent", [&](const std::string& lang) {
                     v1::ExportApplicationsRequest req;
                     req.set_parent("etnik-2021");
                     v1::ExportApplicationsResponse out;
                     return stub().ExportApplications(ctx(organiser_, lang).get(), req, &out);
                   }});
  cases.push_back({"survey bad parent", "parent", [&](const std::string& lang) {
                     v1::CreateSurveyResponseRequest req;
                     req.set_parent(kProgramme);
                     v1::SurveyResponse out;
                     return stub().CreateSurveyResponse(ctx(alice, lang).get(), req, &out);
                   }});
  cases.push_back({"summary bad form", "form", [&](const std::string& lang) {
                     v1::GetSurveySummaryRequest req;
                     req.set_form("forms/x");
                     v1::SurveySummary out;
                     return stub().GetSurveySummary(ctx(organiser_, lang).get(), req, &out);
                   }});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (const std::string lang : {"", "en"}) {
      grpc::Status s = c.call(lang);
      ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
      const FieldViolation* found = nullptr;
      std::vector<FieldViolation> v = Violations(s);
      for (const FieldViolation& f : v) {
        if (f.field == c.field) found = &f;
      }
      ASSERT_NE(found, nullptr) << "fields: " << absl::StrJoin(Fields(s), ", ");
      if (lang.empty()) {
        EXPECT_TRUE(HasCyrillic(found->description)) << found->description;
      } else {
        EXPECT_FALSE(HasCyrillic(found->description)) << found->description;
      }
    }
  }
}

TEST_P(RegistrationApiTest, ApplicantsSeeOnlyTheirOwnAndAnonymousOnlyPublicReads) {
  MakeProgrammeAndForm();
  const std::string alice = TestEnv::ApplicantToken("alice"), bob = TestEnv::ApplicantToken("bob");
  v1::Application a, b, out;
  ASSERT_TRUE(Create(alice, ValidApplication(Inn(50)), &a).ok());
  ASSERT_TRUE(Create(bob, ValidApplication(Inn(51)), &b).ok());

  v1::GetApplicationRequest get;
  get.set_name(a.name());
  EXPECT_TRUE(stub().GetApplication(TestEnv::Ctx(alice).get(), get, &out).ok());
  EXPECT_EQ(stub().GetApplication(TestEnv::Ctx(bob).get(), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub().GetApplication(TestEnv::Ctx("").get(), get, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stub().GetApplication(TestEnv::Ctx(organiser_).get(), get, &out).ok());

  v1::UpdateApplicationRequest up;
  *up.mutable_application() = a;
  EXPECT_EQ(stub().UpdateApplication(TestEnv::Ctx(bob).get(), up, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Submit(bob, a.name(), &out).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::WithdrawApplicationRequest wd;
  wd.set_name(a.name());
  EXPECT_EQ(stub().WithdrawApplication(TestEnv::Ctx(bob).get(), wd, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::DeleteApplicationRequest del;
  del.set_name(a.name());
  google::protobuf::Empty empty;
  EXPECT_EQ(stub().DeleteApplication(TestEnv::Ctx(bob).get(), del, &empty).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::ListApplicationsRequest la;
  la.set_parent(kProgramme);
  v1::ListApplicationsResponse list;
  ASSERT_TRUE(stub().ListApplications(TestEnv::Ctx(bob).get(), la, &list).ok());
  ASSERT_EQ(list.total_size(), 1);
  EXPECT_EQ(list.applications(0).name(), b.name());
  EXPECT_EQ(stub().ListApplications(TestEnv::Ctx("").get(), la, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // Reviewers see only what is assigned to them.
  const std::string rita = TestEnv::ReviewerToken("rita");
  EXPECT_EQ(stub().GetApplication(TestEnv::Ctx(rita).get(), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub().ListApplications(TestEnv::Ctx(rita).get(), la, &list).ok());
  EXPECT_EQ(list.total_size(), 0);
  ASSERT_TRUE(env_->database()
                  .InTransaction(db::TxMode::kWrite,
                                 [&](soci::session& s) -> absl::Status {
                                   std::string programme = kProgramme, app = a.name(), reviewer = "rita";
                                   s << "INSERT INTO reviewer_assignments (programme, application, reviewer, state) "
                                        "VALUES (:p, :a, :r, 1)",
                                       soci::use(programme), soci::use(app), soci::use(reviewer);
                                   return absl::OkStatus();
                                 })
                  .ok());
  EXPECT_TRUE(stub().GetApplication(TestEnv::Ctx(rita).get(), get, &out).ok());
  ASSERT_TRUE(stub().ListApplications(TestEnv::Ctx(rita).get(), la, &list).ok());
  EXPECT_EQ(list.total_size(), 1);
  EXPECT_EQ(stub().UpdateApplication(TestEnv::Ctx(rita).get(), up, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Anonymous callers: public reads only; organiser-only writes refuse others.
  v1::CreateProgrammeRequest cp;
  *cp.mutable_programme() = DemoProgramme();
  v1::Programme p;
  EXPECT_EQ(stub().CreateProgramme(TestEnv::Ctx("").get(), cp, &p).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub().CreateProgramme(TestEnv::Ctx(alice).get(), cp, &p).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create("", ValidApplication(Inn(52)), &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::ExportApplicationsRequest ex;
  ex.set_parent(kProgramme);
  v1::ExportApplicationsResponse csv;
  EXPECT_EQ(stub().ExportApplications(TestEnv::Ctx(alice).get(), ex, &csv).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::DeleteFormRequest df;
  df.set_name(kProgramme + "/forms/application");
  EXPECT_EQ(stub().DeleteForm(TestEnv::Ctx(alice).get(), df, &empty).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(RegistrationApiTest, UpdateProgrammeInvalidatesTheCacheAndAnnouncesStageChanges) {
  MakeProgrammeAndForm();
  v1::GetProgrammeRequest gp;
  gp.set_name(kProgramme);
  v1::Programme p;
  ASSERT_TRUE(stub().GetProgramme(TestEnv::Ctx("").get(), gp, &p).ok());
  v1::ListProgrammesResponse list;
  ASSERT_TRUE(stub().ListProgrammes(TestEnv::Ctx("").get(), {}, &list).ok());
  // Both answers are now in Redis.
  absl::StatusOr<std::string> exists = env_->Redis({"EXISTS", env_->cache().RedisKey("programme:" + kProgramme)});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(*exists, "1");

  const int before = [&] {
    absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> e = env_->PendingEvents();
    return e.ok() ? static_cast<int>(e->size()) : -1;
  }();
  v1::UpdateProgrammeRequest up;
  *up.mutable_programme() = p;
  up.mutable_programme()->mutable_title()->set_ru("ЭтНик-2021");
  up.mutable_programme()->mutable_stages(0)->mutable_targets(0)->set_value(45);
  v1::Stage* training = up.mutable_programme()->add_stages();
  training->set_stage_id("training");
  training->set_kind(etnik::common::v1::STAGE_KIND_TRAINING);
  *training->mutable_window()->mutable_start_time() = Ts(kDeadline + absl::Hours(24 * 10));
  *training->mutable_window()->mutable_end_time() = Ts(kDeadline + absl::Hours(24 * 60));
  up.mutable_update_mask()->add_paths("title");
  up.mutable_update_mask()->add_paths("stages");
  v1::Programme updated;
  grpc::Status s = stub().UpdateProgramme(TestEnv::Ctx(organiser_).get(), up, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message() << absl::StrJoin(Fields(s), ",");
  EXPECT_NE(updated.etag(), p.etag());

  ASSERT_TRUE(stub().GetProgramme(TestEnv::Ctx("").get(), gp, &p).ok());
  EXPECT_EQ(p.title().ru(), "ЭтНик-2021");
  ASSERT_TRUE(stub().ListProgrammes(TestEnv::Ctx("").get(), {}, &list).ok());
  EXPECT_EQ(list.programmes(0).title().ru(), "ЭтНик-2021");

  absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> events = env_->PendingEvents();
  ASSERT_TRUE(events.ok());
  std::map<std::string, const etnik::events::v1::ProgrammeStageChanged*> changed;
  for (size_t i = before; i < events->size(); ++i) {
    if ((*events)[i].has_programme_stage_changed()) {
      changed[(*events)[i].programme_stage_changed().stage()] = &(*events)[i].programme_stage_changed();
    }
  }
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[kProgramme + "/stages/selection"]->targets(0).value(), 45);
  EXPECT_EQ(changed[kProgramme + "/stages/training"]->kind(), etnik::common::v1::STAGE_KIND_TRAINING);

  // A stale etag is refused; removing a stage announces it as removed.
  up.mutable_programme()->set_etag("stale");
  EXPECT_EQ(stub().UpdateProgramme(TestEnv::Ctx(organiser_).get(), up, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  up.mutable_programme()->set_etag(p.etag());
  up.mutable_programme()->mutable_stages()->RemoveLast();
  ASSERT_TRUE(stub().UpdateProgramme(TestEnv::Ctx(organiser_).get(), up, &updated).ok());
  events = env_->PendingEvents();
  ASSERT_TRUE(events.ok());
  ASSERT_TRUE(events->back().has_programme_stage_changed());
  EXPECT_TRUE(events->back().programme_stage_changed().removed());
  EXPECT_EQ(events->back().programme_stage_changed().stage(), kProgramme + "/stages/training");
}

TEST_P(RegistrationApiTest, PublicReadsAndWritesWorkWithRedisDown) {
  MakeProgrammeAndForm();
  v1::GetProgrammeRequest gp;
  gp.set_name(kProgramme);
  v1::Programme p;
  ASSERT_TRUE(stub().GetProgramme(TestEnv::Ctx("").get(), gp, &p).ok());  // cached now
  // The server goes away (the command's own connection dies with it).
  (void)env_->Redis({"SHUTDOWN", "NOSAVE"});
  v1::UpdateProgrammeRequest up;
  *up.mutable_programme() = p;
  up.mutable_programme()->set_seats(41);
  up.mutable_update_mask()->add_paths("seats");
  v1::Programme updated;
  grpc::Status s = stub().UpdateProgramme(TestEnv::Ctx(organiser_).get(), up, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // This process never reads its own stale value back, and reads need no Redis.
  s = stub().GetProgramme(TestEnv::Ctx("").get(), gp, &p);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(p.seats(), 41);
  v1::GetFormRequest gf;
  gf.set_name(kProgramme + "/forms/application");
  v1::Form form;
  EXPECT_TRUE(stub().GetForm(TestEnv::Ctx("").get(), gf, &form).ok());
}

TEST_P(RegistrationApiTest, SurveyResponsesAreCountedAndSummarised) {
  MakeProgrammeAndForm();
  v1::CreateFormRequest req;
  req.set_parent(kProgramme);
  req.set_form_id("ngo-survey");
  v1::Form* f = req.mutable_form();
  f->set_purpose(v1::FORM_PURPOSE_SURVEY);
  f->mutable_title()->set_ru("Опрос о ресурсах и потребностях НКО");
  v1::Question* q = f->add_questions();
  q->set_question_id("staff");
  q->set_type(v1::QUESTION_TYPE_NUMBER);
  q->mutable_text()->set_ru("Сколько сотрудников?");
  q->set_required(true);
  v1::Form form;
  ASSERT_TRUE(stub().CreateForm(TestEnv::Ctx(organiser_).get(), req, &form).ok());
  for (int i = 0; i < 3; ++i) {
    v1::CreateSurveyResponseRequest r;
    r.set_parent(form.name());
    r.set_request_id("same-key");
    r.mutable_survey_response()->mutable_organisation()->set_full_name(absl::StrCat("НКО ", i));
    r.mutable_survey_response()->mutable_organisation()->set_region("RU-TA");
    v1::Answer* a = r.mutable_survey_response()->add_answers();
    a->set_question_id("staff");
    a->set_number(10 * (i + 1));
    v1::SurveyResponse out;
    grpc::Status s =
        stub().CreateSurveyResponse(TestEnv::Ctx(TestEnv::ApplicantToken(absl::StrCat("ngo-", i))).get(), r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message() << absl::StrJoin(Fields(s), ",");
    // The same key from the same caller is one response.
    ASSERT_TRUE(
        stub().CreateSurveyResponse(TestEnv::Ctx(TestEnv::ApplicantToken(absl::StrCat("ngo-", i))).get(), r, &out).ok());
  }
  v1::ListSurveyResponsesRequest lr;
  lr.set_parent(form.name());
  v1::ListSurveyResponsesResponse list;
  ASSERT_TRUE(stub().ListSurveyResponses(TestEnv::Ctx(organiser_).get(), lr, &list).ok());
  EXPECT_EQ(list.survey_responses_size(), 3);
  v1::GetSurveySummaryRequest sr;
  sr.set_form(form.name());
  v1::SurveySummary summary;
  ASSERT_TRUE(stub().GetSurveySummary(TestEnv::Ctx(organiser_).get(), sr, &summary).ok());
  EXPECT_EQ(summary.response_count(), 3);
  ASSERT_EQ(summary.questions_size(), 1);
  EXPECT_DOUBLE_EQ(summary.questions(0).number_stats().mean(), 20);
  EXPECT_EQ(stub().ListSurveyResponses(TestEnv::Ctx(TestEnv::ApplicantToken("ngo-0")).get(), lr, &list).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

INSTANTIATE_TEST_SUITE_P(Engines, RegistrationApiTest, ::testing::Values(db::Engine::kSqlite, db::Engine::kPostgres),
                         [](const ::testing::TestParamInfo<db::Engine>& info) {
                           return info.param == db::Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace etnik::registration
