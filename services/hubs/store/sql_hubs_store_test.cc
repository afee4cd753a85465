// The hubs use cases on the SQL store, every case on SQLite and on PostgreSQL: round trips,
// keyset pages, events in the change's transaction, and the rules under concurrent writers.

#include "services/hubs/store/sql_hubs_store.h"

#include <atomic>
#include <barrier>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/clock/clock.h"
#include "common/db/db_test_fixture.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/hubs/domain/errors.h"
#include "services/hubs/domain/hubs_use_cases.h"
#include "services/hubs/domain/registration_facts.h"
#include "services/hubs/domain/rules.h"
#include "services/hubs/store/outbox_events.h"
#include "services/hubs/store/schema.h"

namespace etnik::hubs::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const CallContext kOrganiser{"organiser-1", "trace-1"};
const std::string kProgramme = "programmes/etnik-2021";

std::string Reason(const absl::Status& status) {
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  return info ? info->reason : "";
}

Hub NewHub(const std::string& title) {
  Hub hub;
  hub.programme = kProgramme;
  hub.title = {title, "Folk crafts"};
  hub.theme = "crafts";
  hub.theme_title = {"Народные промыслы и ремёсла", "Folk crafts and trades"};
  hub.description = {"Мастера гончарного дела, вышивки и резьбы по дереву", ""};
  hub.contact = {"crafts@etnik.example.org", "+74812000001", "etnik_crafts", "https://etnik.example.org/crafts"};
  hub.participant_capacity = 8;
  return hub;
}

Expert NewExpert(const std::string& name, const std::string& email) {
  Expert e;
  e.full_name = {name, ""};
  e.bio = {"Мастер-гончар, 20 лет опыта", "Potter"};
  e.topics = {"гончарное дело", "керамика"};
  e.city = "Смоленск";
  e.time_zone = "Europe/Moscow";
  e.contact.email = email;
  e.photo_uri = "https://etnik.example.org/photos/1.jpg";
  e.subject = "kc-123";
  e.language = Language::kRu;
  e.weekly_availability = {{1, {9, 0}, {12, 30}}, {4, {18, 0}, {24, 0}}};
  e.availability_exceptions = {{2021, 5, 10, false, true, {}, {}, "праздник | выходной\nвесь день"},
                               {2021, 5, 15, true, false, {10, 0}, {14, 0}, ""}};
  return e;
}

class SqlHubsStoreTest : public db::DbContractTest {
 protected:
  void SetUp() override {
    DbContractTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<int> version =
        db::ApplyMigrations(*db_, HubsMigrations());
    ASSERT_TRUE(version.ok()) << version.status();
    store_ = std::make_unique<SqlHubsStore>(*db_, writer_, [this] { ++notified_; });
    use_cases_ = std::make_unique<HubsUseCases>(*store_, cache_, clock_);
  }
  void TearDown() override {
    use_cases_.reset();
    store_.reset();
    DbContractTest::TearDown();
  }

  std::string MakeExpert(const std::string& id) {
    absl::StatusOr<Expert> e =
        use_cases_->CreateExpert(kOrganiser, NewExpert("Эксперт " + id, id + "@example.org"), id, "");
    EXPECT_TRUE(e.ok()) << e.status();
    return id;
  }

  std::vector<etnik::events::v1::DomainEvent> Events() {
    absl::StatusOr<std::vector<etnik::events::v1::DomainEvent>> events = PendingEvents(*db_);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<etnik::events::v1::DomainEvent>{};
  }

  FakeClock clock_{absl::FromUnixSeconds(1617700000) + absl::Microseconds(123456)};
  OutboxEventWriter writer_;
  NoCatalogueCache cache_;
  std::atomic<int> notified_{0};
  std::unique_ptr<SqlHubsStore> store_;
  std::unique_ptr<HubsUseCases> use_cases_;
};

TEST_P(SqlHubsStoreTest, HubRoundTripsEveryField) {
  absl::StatusOr<Hub> created = use_cases_->CreateHub(kOrganiser, NewHub("Народные промыслы"), "crafts", "");
  ASSERT_TRUE(created.ok()) << created.status();
  absl::StatusOr<Hub> read = use_cases_->GetHub("crafts");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->title.ru, "Народные промыслы");
  EXPECT_EQ(read->theme_title.en, "Folk crafts and trades");
  EXPECT_EQ(read->description.ru, "Мастера гончарного дела, вышивки и резьбы по дереву");
  EXPECT_EQ(read->contact, NewHub("").contact);
  EXPECT_EQ(read->participant_capacity, 8);
  EXPECT_EQ(read->state, HubState::kDraft);
  EXPECT_EQ(read->create_time, clock_.Now());
  EXPECT_EQ(read->publish_time, absl::UnixEpoch());
  EXPECT_EQ(read->version, 1);
}

TEST_P(SqlHubsStoreTest, ExpertRoundTripsEveryField) {
  Expert in = NewExpert("Иван Петров", "ivan@example.org");
  ASSERT_TRUE(use_cases_->CreateExpert(kOrganiser, in, "ivan", "").ok());
  absl::StatusOr<Expert> read = use_cases_->GetExpert("ivan");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->full_name, in.full_name);
  EXPECT_EQ(read->bio, in.bio);
  EXPECT_EQ(read->topics, in.topics);
  EXPECT_EQ(read->city, "Смоленск");
  EXPECT_EQ(read->contact, in.contact);
  EXPECT_EQ(read->photo_uri, in.photo_uri);
  EXPECT_EQ(read->subject, "kc-123");
  EXPECT_EQ(read->language, Language::kRu);
  EXPECT_EQ(read->weekly_availability, in.weekly_availability);
  EXPECT_EQ(read->availability_exceptions, in.availability_exceptions);
  EXPECT_THAT(read->hubs, IsEmpty());
}

TEST_P(SqlHubsStoreTest, ListsPageInTheSameOrderOnBothEngines) {
  const std::vector<std::string> titles = {"Ярмарка", "анимация", "Анимация", "Ёлочные игрушки", "Zebra", "Бисер"};
  for (size_t i = 0; i < titles.size(); ++i) {
    Hub hub = NewHub(titles[i]);
    hub.theme = i % 2 ? "crafts" : "media";
    ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, hub, absl::StrCat("h", i), "").ok());
  }
  std::vector<std::string> seen;
  HubFilter filter;
  filter.programme = kProgramme;
  PageRequest page{4, ""};
  do {
    absl::StatusOr<Page<Hub>> p = use_cases_->ListHubs(filter, page);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->total_size, 6);
    for (const Hub& h : p->items) seen.push_back(h.title.ru);
    page.page_token = p->next_page_token;
  } while (!page.page_token.empty());
  // Bytewise: Latin, then Ё (U+0401), then А-Я, then а-я.
  EXPECT_THAT(seen, ElementsAre("Zebra", "Ёлочные игрушки", "Анимация", "Бисер", "Ярмарка", "анимация"));
  filter.theme = "media";
  absl::StatusOr<Page<Hub>> media = use_cases_->ListHubs(filter, {0, ""});
  ASSERT_TRUE(media.ok());
  EXPECT_EQ(media->total_size, 3);
}

TEST_P(SqlHubsStoreTest, ListsByLeadAndByAllowedHubs) {
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, NewHub(id), id, "").ok());
  HubLead lead;
  lead.subject = "lead-7";
  lead.full_name = "Ольга";
  ASSERT_TRUE(use_cases_->AddHubLead(kOrganiser, "b", lead, "").ok());
  HubFilter by_lead;
  by_lead.lead_subject = "lead-7";
  absl::StatusOr<Page<Hub>> led = use_cases_->ListHubs(by_lead, {});
  ASSERT_TRUE(led.ok()) << led.status();
  ASSERT_EQ(led->items.size(), 1u);
  EXPECT_EQ(led->items[0].id, "b");
  HubFilter allowed;
  allowed.only_ids = std::vector<std::string>{"a", "c", "zz"};
  absl::StatusOr<Page<Hub>> mine = use_cases_->ListHubs(allowed, {});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total_size, 2);
  allowed.only_ids = std::vector<std::string>{};
  EXPECT_EQ(use_cases_->ListHubs(allowed, {})->total_size, 0);
}

TEST_P(SqlHubsStoreTest, EventsAreWrittenWithTheChangeAndOnlyWithIt) {
  ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, NewHub("Промыслы"), "crafts", "").ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(use_cases_->AddExpert(kOrganiser, "crafts", MakeExpert(absl::StrCat("e", i)), "").ok());
  }
  ASSERT_TRUE(use_cases_->PublishHub(kOrganiser, "crafts", "", "").ok());
  int notified = notified_.load();
  size_t before = Events().size();
  // Refused: the expert is already in the hub. Nothing is written, nothing announced.
  EXPECT_EQ(use_cases_->AddExpert(kOrganiser, "crafts", "e0", "").status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Events().size(), before);
  EXPECT_EQ(notified_.load(), notified);

  std::vector<etnik::events::v1::DomainEvent> events = Events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].type(), "etnik.events.v1.ExpertAdded");
  EXPECT_EQ(events[0].expert_added().expert().time_zone(), "Europe/Moscow");
  EXPECT_EQ(events[0].expert_added().expert().weekly_availability_size(), 2);
  const auto& published = events[3];
  EXPECT_EQ(published.type(), "etnik.events.v1.HubPublished");
  EXPECT_EQ(published.producer(), "hubs");
  EXPECT_EQ(published.aggregate_id(), "hubs/crafts");
  EXPECT_EQ(published.hub_published().experts_size(), 3);
  EXPECT_EQ(published.hub_published().programme(), kProgramme);
  std::set<std::string> ids;
  for (const auto& e : events) ids.insert(e.event_id());
  EXPECT_EQ(ids.size(), events.size()) << "every event has its own id";
  EXPECT_GT(events[3].aggregate_version(), events[2].aggregate_version());
}

TEST_P(SqlHubsStoreTest, TwentyConcurrentWritersNeverPutASixthExpertInAHub) {
  ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, NewHub("Медиа"), "media", "").ok());
  constexpr int kWriters = 20;
  std::vector<std::string> experts;
  for (int i = 0; i < kWriters; ++i) experts.push_back(MakeExpert(absl::StrCat("x", i)));
  // Half the writers go through a second Database: another replica of the service.
  std::unique_ptr<db::Database> replica = OpenReplica(Options());
  ASSERT_NE(replica, nullptr);
  SqlHubsStore replica_store(*replica, writer_);
  HubsUseCases replica_use_cases(replica_store, cache_, clock_);

  std::atomic<int> added{0}, refused{0}, other{0};
  std::barrier start(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      HubsUseCases& uc = i % 2 ? replica_use_cases : *use_cases_;
      start.arrive_and_wait();
      absl::StatusOr<Membership> m = uc.AddExpert(kOrganiser, "media", experts[i], "");
      if (m.ok()) {
        ++added;
      } else if (m.status().code() == absl::StatusCode::kFailedPrecondition &&
                 Reason(m.status()) == kReasonTooManyExperts) {
        ++refused;
      } else {
        ++other;
        ADD_FAILURE() << m.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(added.load(), kMaxExperts);
  EXPECT_EQ(refused.load(), kWriters - kMaxExperts);
  EXPECT_EQ(other.load(), 0);
  absl::StatusOr<Page<Expert>> members = use_cases_->ListExperts({"media", ""}, {});
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(members->items.size(), 5u);
  EXPECT_EQ(use_cases_->GetHub("media")->expert_count, 5);
  size_t added_events = 0;
  for (const auto& e : Events()) added_events += e.has_expert_added() ? 1 : 0;
  EXPECT_EQ(added_events, 5u);
}

TEST_P(SqlHubsStoreTest, ConcurrentRetriesWithOneRequestIdMakeOneHub) {
  constexpr int kClients = 8;
  std::barrier start(kClients);
  std::vector<std::string> ids(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      absl::StatusOr<Hub> hub = use_cases_->CreateHub(kOrganiser, NewHub("Хаб"), "", "same-request");
      ASSERT_TRUE(hub.ok()) << hub.status();
      ids[i] = hub->id;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u);
  EXPECT_EQ(use_cases_->ListHubs({}, {})->total_size, 1);
}

TEST_P(SqlHubsStoreTest, TwoProfilesWithOneEmailNeverBothCommit) {
  constexpr int kClients = 6;
  std::barrier start(kClients);
  std::atomic<int> created{0}, duplicate{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      absl::StatusOr<Expert> e = use_cases_->CreateExpert(
          kOrganiser, NewExpert(absl::StrCat("Анна ", i), "Anna@Example.org"), absl::StrCat("anna", i), "");
      if (e.ok()) {
        ++created;
      } else if (e.status().code() == absl::StatusCode::kAlreadyExists) {
        ++duplicate;
      } else {
        ADD_FAILURE() << e.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(duplicate.load(), kClients - 1);
}

TEST_P(SqlHubsStoreTest, ParticipantsAndTargetsReadModels) {
  ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, NewHub("Медиа"), "media", "").ok());
  const std::string p = kProgramme + "/participants/nko-1";
  EXPECT_EQ(Reason(use_cases_->AssignParticipant(kOrganiser, "media", p, "").status()),
            kReasonParticipantNotConfirmed);
  ASSERT_TRUE(use_cases_->RecordParticipantConfirmed({p, kProgramme, "АНО «Диалог культур»", clock_.Now()}).ok());
  ASSERT_TRUE(use_cases_->RecordParticipantConfirmed({p, kProgramme, "АНО «Диалог культур»", clock_.Now()}).ok())
      << "a redelivered event is absorbed";
  absl::StatusOr<Assignment> a = use_cases_->AssignParticipant(kOrganiser, "media", p, "");
  ASSERT_TRUE(a.ok()) << a.status();
  AssignmentFilter all;
  absl::StatusOr<Page<Assignment>> listed = use_cases_->ListAssignments(all, {});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].organisation_name, "АНО «Диалог культур»");
  EXPECT_EQ(listed->items[0].participant, p);

  const std::string stage = kProgramme + "/stages/training";
  ASSERT_TRUE(use_cases_->RecordStageTargets(stage, {{stage, kProgramme, TargetMetric::kHubs, 10},
                                                     {stage, kProgramme, TargetMetric::kExperts, 30}})
                  .ok());
  ASSERT_TRUE(use_cases_->RecordStageTargets(stage, {{stage, kProgramme, TargetMetric::kHubs, 12}}).ok());
  absl::StatusOr<HubsProgress> progress = use_cases_->Progress(kProgramme);
  ASSERT_TRUE(progress.ok()) << progress.status();
  ASSERT_EQ(progress->targets.size(), 1u);
  EXPECT_EQ(progress->targets[0].target, 12);
  EXPECT_EQ(progress->assigned_participants, 1);
  EXPECT_EQ(progress->draft_hubs, 1);
}

TEST_P(SqlHubsStoreTest, DeletingADraftTakesItsMembersAndLeads) {
  ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, NewHub("Черновик"), "draft", "").ok());
  ASSERT_TRUE(use_cases_->AddExpert(kOrganiser, "draft", MakeExpert("e1"), "").ok());
  HubLead lead;
  lead.subject = "lead-1";
  lead.full_name = "Ольга";
  ASSERT_TRUE(use_cases_->AddHubLead(kOrganiser, "draft", lead, "").ok());
  ASSERT_TRUE(use_cases_->DeleteHub(kOrganiser, "draft", "").ok());
  EXPECT_THAT(use_cases_->GetExpert("e1")->hubs, IsEmpty());
  EXPECT_TRUE(use_cases_->DeleteExpert(kOrganiser, "e1", "").ok());
  // The id is free again, and the new hub starts empty.
  ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, NewHub("Черновик"), "draft", "").ok());
  EXPECT_TRUE(use_cases_->ListHubLeads("draft", {})->items.empty());
}

TEST_P(SqlHubsStoreTest, FactsAppliedInsideAnotherTransactionCommitAndRollBackWithIt) {
  ASSERT_TRUE(use_cases_->CreateHub(kOrganiser, NewHub("Медиа"), "media", "").ok());
  const std::string p1 = kProgramme + "/participants/nko-1";
  const std::string p2 = kProgramme + "/participants/nko-2";
  // An event consumer's transaction that fails after the fact: the fact goes with it.
  absl::Status failed = db_->InTransaction(db::TxMode::kWrite, [&](soci::session& session) -> absl::Status {
    absl::Status s = store_->RunInSession(session, [&](HubsTransaction& tx) {
      return RecordParticipantConfirmed(tx, {p1, kProgramme, "НКО 1", clock_.Now()});
    });
    if (!s.ok()) return s;
    return absl::UnavailableError("the consumer's dedupe record could not be written");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Reason(use_cases_->AssignParticipant(kOrganiser, "media", p1, "").status()),
            kReasonParticipantNotConfirmed);
  ASSERT_TRUE(db_->InTransaction(db::TxMode::kWrite, [&](soci::session& session) {
                   return store_->RunInSession(session, [&](HubsTransaction& tx) {
                     return RecordParticipantConfirmed(tx, {p2, kProgramme, "НКО 2", clock_.Now()});
                   });
                 }).ok());
  EXPECT_TRUE(use_cases_->AssignParticipant(kOrganiser, "media", p2, "").ok());
}

ETNIK_INSTANTIATE_DB_CONTRACT(SqlHubsStoreTest);

}  // namespace
}  // namespace etnik::hubs::store
