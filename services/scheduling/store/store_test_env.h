#ifndef ETNIK_SERVICES_SCHEDULING_STORE_STORE_TEST_ENV_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_STORE_TEST_ENV_H_

// Test fixture: the scheduling use cases over the SQL store, once per engine, each time on a
// fresh database (a temp SQLite file or a new database on the test PostgreSQL). Read models are
// filled through Scheduler::Apply* (the path the event consumers will take).

#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/status/errors.h"
#include "common/db/database.h"
#include "common/testing/postgres_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/scheduler.h"
#include "services/scheduling/store/sql_store.h"
#include "soci/soci.h"

namespace etnik::scheduling::testing {

inline absl::Time Local(const char* zone_name, int y, int mo, int d, int h, int mi = 0) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(zone_name, &zone)) << zone_name;
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}
inline absl::Time Msk(int y, int mo, int d, int h, int mi = 0) {
  return Local("Europe/Moscow", y, mo, d, h, mi);
}

inline constexpr char kProgramme[] = "programmes/etnik-2021";
inline constexpr char kTraining[] = "programmes/etnik-2021/stages/training";
inline constexpr char kPractice[] = "programmes/etnik-2021/stages/practice";

// The ErrorInfo reason of a status, or a description of what came instead.
inline std::string ReasonOf(const absl::Status& s) {
  std::optional<ErrorInfo> info = GetErrorInfo(s);
  return info.has_value() ? info->reason : "no ErrorInfo in " + s.ToString();
}

inline Actor Organiser() {
  Actor a;
  a.anonymous = false;
  a.subject = "org-1";
  a.organiser = true;
  return a;
}

inline Actor HubLead(std::string hub_id, std::string subject = "lead-1") {
  Actor a;
  a.anonymous = false;
  a.subject = std::move(subject);
  a.hub_lead = true;
  a.manages_hub = [hub_id](absl::string_view id) { return id == hub_id; };
  return a;
}

inline Actor Participant(std::string subject) {
  Actor a;
  a.anonymous = false;
  a.subject = std::move(subject);
  a.participant = true;
  return a;
}

// An expert free every day, all day, in `zone`.
inline ExpertProfile AlwaysFree(std::string expert, std::string zone = "Europe/Moscow") {
  ExpertProfile p;
  p.expert = std::move(expert);
  p.full_name.ru = "Эксперт";
  p.time_zone = std::move(zone);
  for (absl::Weekday d : {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
                          absl::Weekday::thursday, absl::Weekday::friday, absl::Weekday::saturday,
                          absl::Weekday::sunday}) {
    p.weekly.push_back({d, 0, 24 * 60});
  }
  return p;
}

// Opens a database of the given engine: a fresh file or a fresh PostgreSQL database.
class EngineDatabase {
 public:
  explicit EngineDatabase(db::Engine engine) : engine_(engine) {}
  void Create() {
    if (engine_ == db::Engine::kSqlite) {
      auto temp = etnik::test::TempSqliteDatabase::Create();
      ASSERT_TRUE(temp.ok()) << temp.status();
      sqlite_ = std::move(*temp);
      url_ = sqlite_->url();
    } else {
      auto temp = etnik::test::TempPostgresDatabase::Create();
      ASSERT_TRUE(temp.ok()) << temp.status();
      postgres_ = std::move(*temp);
      url_ = postgres_->url();
    }
  }
  std::unique_ptr<db::Database> Open(const Clock& clock, int pool_size = 8) {
    db::DatabaseOptions options;
    options.pool_size = pool_size;
    options.clock = &clock;
    options.retry.max_attempts = 40;
    auto db = db::Database::Open(url_, options);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }
  const std::string& url() const { return url_; }

 private:
  db::Engine engine_;
  std::unique_ptr<etnik::test::TempSqliteDatabase> sqlite_;
  std::unique_ptr<etnik::test::TempPostgresDatabase> postgres_;
  std::string url_;
};

class SchedulingStoreTest : public ::testing::TestWithParam<db::Engine> {
 protected:
  void SetUp() override {
    database_.Create();
    if (HasFatalFailure()) return;
    db_ = database_.Open(clock_);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(store::SqlSchedulingStore::Migrate(*db_).ok());
    store_ = std::make_unique<store::SqlSchedulingStore>(*db_, clock_);
    scheduler_ = std::make_unique<Scheduler>(*store_, clock_, Options());
    SeedProgramme();
  }
  void TearDown() override {
    scheduler_.reset();
    store_.reset();
    db_.reset();
  }

  virtual SchedulerOptions Options() const { return {}; }

  // The demo programme's stages (with the practice stage's target of 20) and a media hub.
  void SeedProgramme() {
    StageWindow training;
    training.stage = kTraining;
    training.programme = kProgramme;
    training.kind = 2;
    training.title.ru = "Обучение";
    training.window = {Msk(2021, 4, 19, 0), Msk(2021, 6, 1, 0)};
    training.time_zone = "Europe/Moscow";
    ASSERT_TRUE(scheduler_->ApplyStage(training).ok());
    StageWindow practice = training;
    practice.stage = kPractice;
    practice.kind = 3;
    practice.title.ru = "Практика";
    practice.window = {Msk(2021, 6, 1, 0), Msk(2021, 11, 1, 0)};
    practice.targets = {{4, 20}, {6, 100}};
    ASSERT_TRUE(scheduler_->ApplyStage(practice).ok());
    HubInfo media;
    media.hub = "hubs/media";
    media.programme = kProgramme;
    media.title.ru = "Медиа";
    media.leads = {{"lead-1", "Лид Медиа", "lead@example.org", "Europe/Moscow", Language::kRu}};
    ASSERT_TRUE(scheduler_->ApplyHub(media).ok());
  }

  Event MakeWebinarEvent(const std::string& id, const std::string& hub = "hubs/media") {
    Event e;
    e.programme = kProgramme;
    e.stage = kPractice;
    e.kind = EventKind::kWebinar;
    e.title.ru = "Вебинар хаба";
    e.hub = hub;
    e.time_zone = "Europe/Moscow";
    e.open_registration = true;
    absl::StatusOr<Event> created = scheduler_->CreateEvent(Organiser(), e, id, "");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : e;
  }

  Session Online(absl::Time start, absl::Duration length, std::vector<std::string> hosts,
                 std::string zone = "Europe/Moscow") {
    Session s;
    s.start = start;
    s.end = start + length;
    s.time_zone = std::move(zone);
    s.hosts = std::move(hosts);
    s.online_room.join_uri = "https://meet.example/room";
    return s;
  }

  // Rows of the outbox of a given type.
  long long OutboxCount(const std::string& type) {
    long long n = 0;
    EXPECT_TRUE(db_->InTransaction(db::TxMode::kRead, [&](soci::session& s) {
                     s << "SELECT COUNT(*) FROM outbox WHERE type = :t", soci::use(type),
                         soci::into(n);
                     return absl::OkStatus();
                   }).ok());
    return n;
  }

  FakeClock clock_{Msk(2021, 4, 20, 9)};
  EngineDatabase database_{GetParam()};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<store::SqlSchedulingStore> store_;
  std::unique_ptr<Scheduler> scheduler_;
};

inline std::string EngineName(const ::testing::TestParamInfo<db::Engine>& info) {
  return info.param == db::Engine::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace etnik::scheduling::testing

#define ETNIK_SCHEDULING_ON_BOTH_ENGINES(suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Engines, suite,                                                  \
                           ::testing::Values(::etnik::db::Engine::kSqlite,                  \
                                             ::etnik::db::Engine::kPostgres),               \
                           ::etnik::scheduling::testing::EngineName)

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_STORE_TEST_ENV_H_
