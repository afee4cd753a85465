// Fault tests of the real notifications binary: SIGKILL in the middle of sending 1 000 reminders
// (and their 1 000 confirmations), then a restart on the same database, Redis and SMTP server.
// Every message must arrive; a repeat is possible only for the few in flight at the kill (one per
// worker thread: sent, but not yet recorded), and it carries the same Message-ID, so the
// receiving side can drop it.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db/database.h"
#include "common/db/migrations.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_pool.h"
#include "common/testing/redis_server.h"
#include "common/testing/sqlite_temp_database.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/notifications/api/event_planner.h"
#include "services/notifications/api/testing/smtp_sink.h"
#include "services/notifications/domain/default_templates.h"
#include "services/notifications/domain/template_engine.h"
#include "services/notifications/store/deliveries.h"
#include "services/notifications/store/schema.h"
#include "services/notifications/store/templates.h"

namespace etnik::notifications {
namespace {

namespace ev = etnik::events::v1;
constexpr int kAttendees = 1000;
constexpr int kWorkers = 2;

class Binary {
 public:
  explicit Binary(std::vector<std::string> args) : args_(std::move(args)) {}
  ~Binary() { Kill(); }
  void Start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& a : args_) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  void Terminate() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  std::vector<std::string> args_;
  pid_t pid_ = -1;
};

ev::DomainEvent Registered(int i, absl::Time start) {
  ev::DomainEvent e;
  e.set_event_id(absl::StrCat("registered-", i));
  e.set_type("etnik.events.v1.AttendeeRegistered");
  auto* r = e.mutable_attendee_registered();
  ev::SessionSnapshot* s = r->mutable_session();
  s->set_session("events/e1/sessions/s1");
  s->set_programme("programmes/p1");
  s->mutable_title()->set_ru("Открытая лекция");
  *s->mutable_start_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
  *s->mutable_end_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start + absl::Hours(1)));
  s->set_time_zone("Europe/Moscow");
  r->set_attendee(absl::StrCat("events/e1/sessions/s1/attendees/a", i));
  ev::Person* p = r->mutable_person();
  p->set_id(absl::StrCat("subj-", i));
  p->set_full_name(absl::StrCat("Участник ", i));
  p->mutable_contact()->set_email(absl::StrCat("u", i, "@example.org"));
  p->set_language(etnik::common::v1::LANGUAGE_RU);
  return e;
}

TEST(NotificationsFaultTest, KilledMidBatchThenRestartedDeliversEveryReminder) {
  auto redis = test::RedisServer::Launch();
  ASSERT_TRUE(redis.ok()) << redis.status();
  auto file = test::TempSqliteDatabase::Create();
  ASSERT_TRUE(file.ok());
  auto sink = testing::SmtpSink::Launch({}, /*raw=*/true);
  ASSERT_TRUE(sink.ok()) << sink.status();
  {
    auto db = db::Database::Open((*file)->url());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db::ApplyMigrations(**db, store::NotificationsMigrations()).ok());
  }

  // A booking 30 minutes ahead for each attendee: a confirmation and the 1 h reminder, both due now.
  prometheus::Registry registry;
  auto ro = redis::ParseRedisUrl((*redis)->url());
  ASSERT_TRUE(ro.ok());
  redis::RedisPool pool(*ro, SystemClock::Get(), registry);
  const absl::Time start = absl::Now() + absl::Minutes(30);
  for (int i = 0; i < kAttendees; ++i) {
    ev::DomainEvent e = Registered(i, start);
    ASSERT_TRUE(pool.Command("XADD", kSchedulingStream, "*", "event_id", e.event_id(), "type", e.type(), "payload",
                             e.SerializeAsString())
                    .ok());
  }

  const std::string secret = absl::StrCat(::testing::TempDir(), "/notif-fault-jwt-", ::getpid());
  {
    FILE* f = std::fopen(secret.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("a-test-secret-of-more-than-32-bytes-for-hs256", f);
    std::fclose(f);
  }
  const std::vector<std::string> args = {ETNIK_NOTIFICATIONS_BINARY,
                                         "--grpc_address=127.0.0.1:0",
                                         "--metrics_address=127.0.0.1:0",
                                         absl::StrCat("--database_url=", (*file)->url()),
                                         absl::StrCat("--redis_url=", (*redis)->url()),
                                         absl::StrCat("--jwt_key_file=", secret),
                                         absl::StrCat("--smtp_url=", (*sink)->url()),
                                         absl::StrCat("--delivery_workers=", kWorkers),
                                         "--delivery_lease=2s",
                                         "--event_claim_idle=2s",
                                         "--log_level=error"};
  const int total = 2 * kAttendees;
  auto messages = [&] { return (*sink)->Messages(); };
  Binary first(args);
  first.Start();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (messages().size() < 300 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
  first.Kill();
  const size_t before_restart = messages().size();
  ASSERT_GE(before_restart, 300u) << "the first process sent too little before the deadline";
  ASSERT_LT(before_restart, static_cast<size_t>(total)) << "killed too late to be mid-batch";

  Binary second(args);
  second.Start();
  std::map<std::string, int> ids;
  while (absl::Now() < deadline) {
    ids.clear();
    for (const testing::SunkMessage& m : messages()) ++ids[m.message_id];
    if (static_cast<int>(ids.size()) >= total) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  second.Terminate();

  size_t received = 0;
  int repeats = 0;
  for (const auto& [id, n] : ids) {
    received += n;
    repeats += n - 1;
  }
  EXPECT_EQ(static_cast<int>(ids.size()), total) << "messages missing after the restart";
  // Only those in flight at the kill (at most one per worker thread) may come twice.
  EXPECT_LE(repeats, kWorkers) << "received " << received;
  RecordProperty("repeats_after_kill", repeats);
  std::printf("killed after %zu messages; received %zu, %d repeated after the restart\n", before_restart, received, repeats);

  auto db = db::Database::Open((*file)->url());
  ASSERT_TRUE(db.ok());
  store::DeliveryQueue queue(**db);
  store::DeliveryFilter f;
  f.state = store::kSent;
  absl::StatusOr<store::DeliveryPage> sent = queue.List(f, 5000, "");
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(static_cast<int>(sent->rows.size()), total);
  int reminders = 0;
  for (const store::DeliveryRow& r : sent->rows) reminders += r.event_type == kReminderEventType;
  EXPECT_EQ(reminders, kAttendees);
  std::remove(secret.c_str());
}

}  // namespace
}  // namespace etnik::notifications
