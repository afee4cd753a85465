// Events -> deliveries -> messages at a real SMTP server (aiosmtpd), on SQLite and PostgreSQL,
// with real Redis streams and an injected clock: confirmations with the invitation, reminders
// at their offsets across zones, after a reschedule and a cancel, a late booking's reminder at
// once, a refused recipient dead-lettered without blocking others, and an SMTP outage retried.

#include <map>
#include <mutex>
#include <thread>
#include <set>

#include "absl/strings/match.h"
#include "common/db/db_test_fixture.h"
#include "common/db/migrations.h"
#include "common/outbox/stream_consumer.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_pool.h"
#include "common/testing/redis_server.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/notifications/api/delivery_worker.h"
#include "services/notifications/api/event_planner.h"
#include "services/notifications/api/testing/smtp_sink.h"
#include "httplib.h"
#include "services/notifications/channels/smtp_sender.h"
#include "services/notifications/channels/webhook_sender.h"
#include "services/notifications/domain/default_templates.h"
#include "services/notifications/domain/template_engine.h"
#include "services/notifications/store/preferences.h"
#include "services/notifications/store/schema.h"
#include "services/notifications/store/templates.h"
#include "services/notifications/store/webhooks.h"

namespace etnik::notifications {
namespace {

namespace ev = etnik::events::v1;
using google::protobuf::util::TimeUtil;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);  // 2027-01-15 08:00 UTC
const absl::Time kStart = kNow + absl::Hours(48);
constexpr char kSession[] = "events/e1/sessions/s1";

google::protobuf::Timestamp Ts(absl::Time t) { return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t)); }

ev::Person Person(const std::string& id, const std::string& name, const std::string& email, const std::string& zone,
                  etnik::common::v1::Language lang = etnik::common::v1::LANGUAGE_RU) {
  ev::Person p;
  p.set_id(id);
  p.set_full_name(name);
  p.mutable_contact()->set_email(email);
  p.set_time_zone(zone);
  p.set_language(lang);
  return p;
}

ev::SessionSnapshot Snapshot(absl::Time start, int sequence = 0) {
  ev::SessionSnapshot s;
  s.set_session(kSession);
  s.set_event("events/e1");
  s.set_programme("programmes/p1");
  s.mutable_title()->set_ru("Гончарное дело");
  s.mutable_title()->set_en("Pottery");
  *s.mutable_start_time() = Ts(start);
  *s.mutable_end_time() = Ts(start + absl::Hours(2));
  s.set_time_zone("Europe/Moscow");
  s.set_location("Казань, ул. Баумана, 1");
  s.set_sequence(sequence);
  *s.add_hosts() = Person("experts/x1", "Пётр Петров", "host@example.org", "Europe/Moscow");
  return s;
}

const ev::Person kAnna = Person("subj-anna", "Анна Иванова", "anna@example.org", "Asia/Yekaterinburg");

class FlowTest : public db::DbContractTest {
 protected:
  static void SetUpTestSuite() {
    auto redis = test::RedisServer::Launch();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_server_ = redis->release();
  }
  static void TearDownTestSuite() {
    delete redis_server_;
    redis_server_ = nullptr;
  }

  db::DatabaseOptions Options() const override {
    db::DatabaseOptions o = db::DbContractTest::Options();
    o.clock = &clock_;
    return o;
  }

  void SetUp() override {
    clock_.Set(kNow);
    db::DbContractTest::SetUp();
    ASSERT_TRUE(db::ApplyMigrations(*db_, store::NotificationsMigrations()).ok());
    ASSERT_TRUE(store::SeedTemplates(*db_, DefaultTemplates(), kNow).ok());
    ASSERT_NE(redis_server_, nullptr);
    ASSERT_TRUE(redis_server_->Execute({"FLUSHALL"}).ok());
    absl::StatusOr<redis::RedisOptions> ro = redis::ParseRedisUrl(redis_server_->url());
    ASSERT_TRUE(ro.ok());
    pool_ = std::make_unique<redis::RedisPool>(*ro, clock_, registry_);
    outbox::StreamConsumerOptions co;
    co.stream = kSchedulingStream;
    co.group = kConsumerGroup;
    co.consumer = "test";
    consumer_ = std::make_unique<outbox::StreamConsumer>(*db_, *pool_, clock_, registry_, co,
                                                         PlanningHandler(clock_, PlannerOptions{}));
    ASSERT_TRUE(consumer_->EnsureGroup().ok());
    auto sink = testing::SmtpSink::Launch({"poison@example.org"});
    ASSERT_TRUE(sink.ok()) << sink.status();
    sink_ = std::move(*sink);
    SmtpOptions so;
    so.url = sink_->url();
    so.timeout = absl::Seconds(5);
    sender_ = MakeSmtpSender(so);
    WorkerOptions wo;
    wo.retry.initial_backoff = absl::Seconds(10);
    wo.retry.max_attempts = 4;
    worker_ = std::make_unique<DeliveryWorker>(*db_, clock_, registry_,
                                               std::map<int, Sender*>{{etnik::common::v1::CHANNEL_EMAIL, sender_.get()}}, wo);
  }

  void TearDown() override {
    worker_.reset();
    consumer_.reset();
    pool_.reset();
    sink_.reset();
    db::DbContractTest::TearDown();
  }

  // Publishes the event as the scheduling relay would and lets the consumer handle it.
  void Publish(ev::DomainEvent e) {
    if (e.event_id().empty()) e.set_event_id(absl::StrCat("ev-", ++events_));
    const std::string type = e.GetDescriptor()->file()->package() + "." +
                             e.GetReflection()->GetOneofFieldDescriptor(e, e.GetDescriptor()->FindOneofByName("payload"))
                                 ->message_type()->name();
    e.set_type(type);
    ASSERT_TRUE(pool_->Command("XADD", kSchedulingStream, "*", "event_id", e.event_id(), "type", type, "payload",
                               e.SerializeAsString())
                    .ok());
    absl::StatusOr<int> n = consumer_->ReadOnce();
    ASSERT_TRUE(n.ok()) << n.status();
    ASSERT_EQ(*n, 1);
  }

  ev::DomainEvent Registered(const ev::Person& p, absl::Time start, bool waitlisted = false) {
    ev::DomainEvent e;
    auto* r = e.mutable_attendee_registered();
    *r->mutable_session() = Snapshot(start);
    r->set_attendee(absl::StrCat(kSession, "/attendees/", p.id()));
    *r->mutable_person() = p;
    r->set_waitlisted(waitlisted);
    return e;
  }

  int Drain() {
    absl::StatusOr<int> n = worker_->Drain();
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  }

  std::vector<testing::SunkMessage> To(const std::string& address) const {
    std::vector<testing::SunkMessage> out;
    for (testing::SunkMessage& m : sink_->Messages()) {
      for (const std::string& r : m.rcpt_tos) {
        if (r == address) out.push_back(m);
      }
    }
    return out;
  }

  int Count(int state) {
    store::DeliveryFilter f;
    f.state = state;
    absl::StatusOr<store::DeliveryPage> page = store::DeliveryQueue(*db_).List(f, 1000, "");
    EXPECT_TRUE(page.ok());
    return page.ok() ? static_cast<int>(page->rows.size()) : -1;
  }

  static test::RedisServer* redis_server_;
  static FakeClock clock_;
  prometheus::Registry registry_;
  std::unique_ptr<redis::RedisPool> pool_;
  std::unique_ptr<outbox::StreamConsumer> consumer_;
  std::unique_ptr<testing::SmtpSink> sink_;
  std::unique_ptr<Sender> sender_;
  std::unique_ptr<DeliveryWorker> worker_;
  int events_ = 0;
};

test::RedisServer* FlowTest::redis_server_ = nullptr;
FakeClock FlowTest::clock_;

TEST_P(FlowTest, RegistrationIsConfirmedOnceInRussianWithTheInvitation) {
  ev::DomainEvent e = Registered(kAnna, kStart);
  e.set_event_id("registered-1");
  Publish(e);
  EXPECT_EQ(Drain(), 1);  // the confirmation; the reminders are not due yet
  std::vector<testing::SunkMessage> got = To("anna@example.org");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].subject, "Регистрация: Гончарное дело");
  EXPECT_TRUE(absl::StrContains(got[0].body, "Здравствуйте, Анна Иванова!")) << got[0].body;
  // Times in the attendee's zone beside the session's.
  EXPECT_TRUE(absl::StrContains(got[0].body, "Asia/Yekaterinburg")) << got[0].body;
  EXPECT_TRUE(absl::StrContains(got[0].body, "Europe/Moscow")) << got[0].body;
  ASSERT_EQ(got[0].attachments.size(), 1u);
  EXPECT_EQ(got[0].attachments[0].content_type, "text/calendar");
  EXPECT_EQ(got[0].attachments[0].method, "REQUEST");
  EXPECT_TRUE(absl::StrContains(got[0].attachments[0].data, "DTSTART;TZID=Europe/Moscow:20270117T110000"))
      << got[0].attachments[0].data;
  EXPECT_FALSE(got[0].message_id.empty());

  // The same event again (the relay republished it): nothing new is queued or sent.
  Publish(e);
  EXPECT_EQ(Drain(), 0);
  EXPECT_EQ(To("anna@example.org").size(), 1u);
  EXPECT_EQ(Count(store::kPending), 2);  // the 24 h and 1 h reminders
}

TEST_P(FlowTest, RemindersFollowOffsetsRescheduleAndCancel) {
  Publish(Registered(kAnna, kStart));
  EXPECT_EQ(Drain(), 1);
  // Boris waits for a seat: he hears of changes, but gets no reminders and no invitations.
  const ev::Person boris = Person("subj-boris", "Борис Петров", "boris@example.org", "Europe/Moscow");
  Publish(Registered(boris, kStart, /*waitlisted=*/true));
  EXPECT_EQ(Drain(), 1);
  clock_.Set(kStart - absl::Hours(24) - absl::Seconds(1));
  EXPECT_EQ(Drain(), 0);
  clock_.Set(kStart - absl::Hours(24));
  EXPECT_EQ(Drain(), 1);
  std::vector<testing::SunkMessage> got = To("anna@example.org");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].subject, "Напоминание: Гончарное дело 24 ч");
  // 11:00 in Moscow is 13:00 in Yekaterinburg.
  EXPECT_TRUE(absl::StrContains(got[1].body, "13:00")) << got[1].body;

  // Moved a day later: the pending 1 h reminder goes, new ones come for the new time.
  const absl::Time moved = kStart + absl::Hours(24);
  ev::DomainEvent r;
  auto* p = r.mutable_session_rescheduled();
  *p->mutable_session() = Snapshot(moved, 1);
  *p->mutable_previous_start_time() = Ts(kStart);
  *p->mutable_previous_end_time() = Ts(kStart + absl::Hours(2));
  *p->add_attendees() = kAnna;
  *p->add_attendees() = boris;
  Publish(r);
  EXPECT_EQ(Drain(), 3);  // the change notice to Anna, Boris and the host
  ASSERT_EQ(To("boris@example.org").size(), 2u);
  EXPECT_TRUE(To("boris@example.org")[1].attachments.empty());  // not in his calendar
  // The previous time in Anna's zone: 11:00 in Moscow was 13:00 in Yekaterinburg.
  EXPECT_TRUE(absl::StrContains(To("anna@example.org")[2].body, "Было: 17 января 2027 г., 13:00 (Asia/Yekaterinburg)"))
      << To("anna@example.org")[2].body;
  EXPECT_EQ(Count(store::kCancelled), 1);
  clock_.Set(kStart - absl::Hours(1));
  EXPECT_EQ(Drain(), 0);  // the old 1 h reminder does not come
  clock_.Set(moved - absl::Hours(24));
  EXPECT_EQ(Drain(), 2);  // new 24 h reminders: Anna and the host, not Boris
  ASSERT_EQ(To("anna@example.org").size(), 4u);
  EXPECT_TRUE(absl::StartsWith(To("anna@example.org")[3].subject, "Напоминание"));

  ev::DomainEvent c;
  auto* cp = c.mutable_session_cancelled();
  *cp->mutable_session() = Snapshot(moved, 2);
  cp->set_reason("болезнь ведущего");
  *cp->add_attendees() = kAnna;
  *cp->add_attendees() = boris;
  Publish(c);
  EXPECT_EQ(Drain(), 3);
  got = To("anna@example.org");
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[4].subject, "Отменено: Гончарное дело");
  EXPECT_TRUE(absl::StrContains(got[4].body, "болезнь ведущего"));
  ASSERT_EQ(got[4].attachments.size(), 1u);
  EXPECT_EQ(got[4].attachments[0].method, "CANCEL");
  clock_.Set(moved);
  EXPECT_EQ(Drain(), 0);  // no 1 h reminders after the cancel
  EXPECT_EQ(To("anna@example.org").size(), 5u);
  EXPECT_EQ(To("host@example.org").size(), 3u);  // change, 24 h reminder, cancellation
  EXPECT_EQ(To("boris@example.org").size(), 3u);  // waiting-list notice, change, cancellation
}

TEST_P(FlowTest, BookingThirtyMinutesAheadGetsItsOneHourReminderAtOnce) {
  Publish(Registered(kAnna, kNow + absl::Minutes(30)));
  EXPECT_EQ(Drain(), 2);
  std::vector<testing::SunkMessage> got = To("anna@example.org");
  ASSERT_EQ(got.size(), 2u);
  std::set<std::string> subjects = {got[0].subject, got[1].subject};
  EXPECT_TRUE(subjects.count("Напоминание: Гончарное дело 1 ч")) << got[0].subject << " / " << got[1].subject;
  clock_.Set(kNow + absl::Minutes(29));
  EXPECT_EQ(Drain(), 0);  // the 24 h one is not sent late
}

TEST_P(FlowTest, RefusedRecipientIsDeadLetteredAndAnOutageIsRetried) {
  Publish(Registered(Person("p", "Яд", "poison@example.org", ""), kStart));
  Publish(Registered(kAnna, kStart));
  Drain();
  EXPECT_EQ(To("anna@example.org").size(), 1u);
  EXPECT_EQ(Count(store::kDeadLetter), 1);

  sink_->Stop();
  for (int i = 0; i < 5; ++i) {
    Publish(Registered(Person(absl::StrCat("u", i), "Участник", absl::StrCat("u", i, "@example.org"), ""), kStart));
  }
  EXPECT_EQ(Drain(), 5);
  EXPECT_EQ(Count(store::kFailed), 5);
  ASSERT_TRUE(sink_->Start().ok());
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(Drain(), 0);  // backing off
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(Drain(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(To(absl::StrCat("u", i, "@example.org")).size(), 1u) << i;
  EXPECT_EQ(Count(store::kFailed), 0);
}

TEST_P(FlowTest, UnsubscribedPersonGetsOnlyEssentialMessagesAndTelegramWhenConsented) {
  store::PreferenceStore prefs(*db_);
  v1::Preference p;
  p.set_recipient(kAnna.id());
  p.set_unsubscribed(true);
  v1::ChannelConsent* tg = p.add_channels();
  tg->set_channel(etnik::common::v1::CHANNEL_TELEGRAM);
  tg->set_enabled(true);
  tg->set_address("777");
  ASSERT_TRUE(prefs.Upsert(p, true, kNow).ok());
  Publish(Registered(kAnna, kNow + absl::Minutes(30)));
  // E-mail: the confirmation (essential) goes, the reminder (not essential) is skipped. Telegram
  // has no sender in this test, so its confirmation is dead-lettered rather than lost silently.
  Drain();
  std::vector<testing::SunkMessage> got = To("anna@example.org");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].subject, "Регистрация: Гончарное дело");
  EXPECT_EQ(Count(store::kSkipped), 2);  // the reminder on e-mail and on Telegram
  store::DeliveryFilter f;
  f.channel = etnik::common::v1::CHANNEL_TELEGRAM;
  absl::StatusOr<store::DeliveryPage> telegram = store::DeliveryQueue(*db_).List(f, 10, "");
  ASSERT_TRUE(telegram.ok());
  EXPECT_EQ(telegram->rows.size(), 2u);
}

TEST_P(FlowTest, BookingTellsHostsWithRemindersAndHubLeadsWithout) {
  ev::DomainEvent e;
  auto* b = e.mutable_session_booked();
  *b->mutable_session() = Snapshot(kStart);
  *b->mutable_session()->add_hub_leads() = Person("subj-lead", "Ольга Смирнова", "lead@example.org", "Europe/Samara");
  Publish(e);
  EXPECT_EQ(Drain(), 2);
  ASSERT_EQ(To("host@example.org").size(), 1u);
  EXPECT_EQ(To("host@example.org")[0].attachments.size(), 1u);
  ASSERT_EQ(To("lead@example.org").size(), 1u);
  EXPECT_TRUE(To("lead@example.org")[0].attachments.empty());
  EXPECT_EQ(Count(store::kPending), 2);  // the host's 24 h and 1 h reminders only
}

TEST_P(FlowTest, OfferNamesTheProgrammeByItsTitleInThePersonsLanguage) {
  ev::DomainEvent stage;
  auto* st = stage.mutable_programme_stage_changed();
  st->set_programme("programmes/p1");
  st->mutable_programme_title()->set_ru("ЭтНик");
  st->mutable_programme_title()->set_en("EtNik");
  st->set_stage("programmes/p1/stages/selection");
  Publish(stage);
  auto offer = [](const ev::Person& person) {
    ev::DomainEvent e;
    auto* o = e.mutable_offer_made();
    o->set_offer("programmes/p1/offers/o1");
    o->set_application("programmes/p1/applications/a1");
    o->set_programme("programmes/p1");
    o->set_organisation_name("Дом дружбы");
    *o->mutable_contact_person() = person;
    *o->mutable_reply_deadline_time() = Ts(kNow + absl::Hours(72));
    o->set_time_zone("Europe/Moscow");
    return e;
  };
  Publish(offer(Person("subj-bob", "Bob", "bob@example.org", "Europe/Moscow", etnik::common::v1::LANGUAGE_EN)));
  Publish(offer(kAnna));
  EXPECT_EQ(Drain(), 2);
  ASSERT_EQ(To("bob@example.org").size(), 1u);
  EXPECT_EQ(To("bob@example.org")[0].subject, "Offer to join EtNik");
  EXPECT_TRUE(absl::StrContains(To("bob@example.org")[0].body, "a place in EtNik")) << To("bob@example.org")[0].body;
  ASSERT_EQ(To("anna@example.org").size(), 1u);
  EXPECT_EQ(To("anna@example.org")[0].subject, "Приглашение в программу «ЭтНик»");
}

TEST_P(FlowTest, SubscribedSystemsGetSignedEventPosts) {
  httplib::Server receiver;
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> posts;  // body, signature header
  std::string timestamp;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    posts.emplace_back(req.body, req.get_header_value("X-Etnik-Signature"));
    timestamp = req.get_header_value("X-Etnik-Timestamp");
    res.status = 204;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { receiver.listen_after_bind(); });
  store::WebhookStore hooks(*db_);
  v1::WebhookSubscription w;
  w.set_uri(absl::StrCat("http://127.0.0.1:", port, "/hook"));
  w.set_secret("a-secret-of-sixteen+");
  w.add_event_types("AttendeeRegistered");
  ASSERT_TRUE(hooks.Create(w, "crm", kNow).ok());
  std::unique_ptr<Sender> webhook = MakeWebhookSender(
      WebhookOptions{}, [&hooks](absl::string_view uri) { return hooks.SecretFor(std::string(uri)); });
  DeliveryWorker worker(*db_, clock_, registry_,
                        {{etnik::common::v1::CHANNEL_EMAIL, sender_.get()},
                         {etnik::common::v1::CHANNEL_WEBHOOK, webhook.get()}},
                        WorkerOptions{});
  ev::DomainEvent e = Registered(kAnna, kStart);
  e.set_event_id("registered-hook");
  Publish(e);
  ev::DomainEvent other;
  *other.mutable_session_booked()->mutable_session() = Snapshot(kStart);
  Publish(other);  // not a type the subscription wants
  ASSERT_TRUE(worker.Drain().ok());
  receiver.stop();
  serving.join();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_TRUE(absl::StrContains(posts[0].first, "\"event_id\":\"registered-hook\"")) << posts[0].first;
  EXPECT_TRUE(VerifyWebhookSignature("a-secret-of-sixteen+", timestamp, posts[0].first, posts[0].second));
}

ETNIK_INSTANTIATE_DB_CONTRACT(FlowTest);

}  // namespace
}  // namespace etnik::notifications
