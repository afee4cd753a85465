// Read models fed through the real pipeline: another service's outbox, its relay to a private
// Redis, and scheduling's stream consumer writing the read models in its own database.

#include "common/outbox/outbox.h"
#include "common/outbox/outbox_proto.h"
#include "common/outbox/outbox_relay.h"
#include "common/outbox/stream_consumer.h"
#include "common/redis/redis_pool.h"
#include "common/redis/test_metrics.h"
#include "common/status/errors.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/store/foreign_events.h"
#include "services/scheduling/store/store_test_env.h"

namespace etnik::scheduling::testing {
namespace {

namespace ev = etnik::events::v1;

void SetTs(google::protobuf::Timestamp* ts, absl::Time t) { ts->set_seconds(absl::ToUnixSeconds(t)); }



class ForeignEventsTest : public SchedulingStoreTest {
 protected:
  void SetUp() override {
    SchedulingStoreTest::SetUp();
    if (HasFatalFailure()) return;
    auto redis = etnik::test::RedisServer::Launch();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = std::move(*redis);
    redis::RedisOptions ro;
    ro.port = redis_->port();
    pool_ = std::make_unique<redis::RedisPool>(ro, SystemClock::Get(), registry_);
    // The producing services' database, with their outbox.
    producer_.Create();
    producer_db_ = producer_.Open(clock_, 2);
    ASSERT_TRUE(db::ApplyMigrations(*producer_db_, {outbox::OutboxMigration(1)}).ok());
    relay_ = std::make_unique<outbox::OutboxRelay>(*producer_db_, *pool_, clock_, registry_);
    for (const char* stream : {store::kHubsStream, store::kRegistrationStream}) {
      outbox::StreamConsumerOptions o;
      o.stream = stream;
      o.group = store::kConsumerGroup;
      o.consumer = "test";
      consumers_.push_back(std::make_unique<outbox::StreamConsumer>(
          *db_, *pool_, clock_, registry_, o, store::ForeignEventHandler(clock_)));
      ASSERT_TRUE(consumers_.back()->EnsureGroup().ok());
    }
  }
  void TearDown() override {
    consumers_.clear();
    relay_.reset();
    producer_db_.reset();
    pool_.reset();
    SchedulingStoreTest::TearDown();
  }

  // Publishes through the producer's outbox and relay, then lets scheduling consume it all.
  void Deliver(ev::DomainEvent event, const char* stream) {
    event.set_event_id(absl::StrCat("ev-", ++sent_));
    ASSERT_TRUE(producer_db_->InTransaction(db::TxMode::kWrite, [&](soci::session& s) {
                  return outbox::Enqueue(s, outbox::FromDomainEvent(event, stream));
                }).ok());
    ASSERT_TRUE(relay_->Drain().ok());
    for (auto& c : consumers_) {
      while (true) {
        absl::StatusOr<int> read = c->ReadOnce();
        ASSERT_TRUE(read.ok()) << read.status();
        if (*read == 0) break;
      }
    }
  }

  ev::DomainEvent Expert(const char* zone, int from_hour, int to_hour) {
    ev::DomainEvent e;
    e.set_type("etnik.events.v1.ExpertAdded");
    ev::ExpertAdded* m = e.mutable_expert_added();
    m->set_hub("hubs/media");
    m->set_programme(kProgramme);
    ev::ExpertSnapshot* s = m->mutable_expert();
    s->set_expert("experts/zoya");
    s->mutable_full_name()->set_ru("Зоя");
    s->set_time_zone(zone);
    s->mutable_contact()->set_email("zoya@example.org");
    for (int day = 1; day <= 5; ++day) {
      auto* w = s->add_weekly_availability();
      w->set_day_of_week(static_cast<etnik::common::v1::DayOfWeek>(day));
      w->mutable_start()->set_hours(from_hour);
      w->mutable_end()->set_hours(to_hour);
    }
    auto* off = s->add_availability_exceptions();  // Wednesday 9 June off
    off->mutable_date()->set_year(2021);
    off->mutable_date()->set_month(6);
    off->mutable_date()->set_day(9);
    off->set_available(false);
    return e;
  }

  absl::Status BookZoya(absl::Time start) {
    BookSessionCommand c;
    c.event_id = "w";
    c.session = Online(start, absl::Hours(1), {"experts/zoya"});
    return scheduler_->BookSession(HubLead("media"), c).status();
  }

  std::unique_ptr<etnik::test::RedisServer> redis_;
  prometheus::Registry registry_;
  std::unique_ptr<redis::RedisPool> pool_;
  EngineDatabase producer_{db::Engine::kSqlite};
  std::unique_ptr<db::Database> producer_db_;
  std::unique_ptr<outbox::OutboxRelay> relay_;
  std::vector<std::unique_ptr<outbox::StreamConsumer>> consumers_;
  int sent_ = 0;
};

TEST_P(ForeignEventsTest, ExpertsStagesAndHubsArriveThroughTheStreams) {
  MakeWebinarEvent("w");
  EXPECT_EQ(ReasonOf(BookZoya(Msk(2021, 6, 7, 12))), kReasonExpertUnknown);
  // Zoya works 09:00-13:00 Kaliningrad time (10:00-14:00 Moscow) on weekdays.
  Deliver(Expert("Europe/Kaliningrad", 9, 13), store::kHubsStream);
  EXPECT_TRUE(BookZoya(Msk(2021, 6, 7, 12)).ok());
  EXPECT_EQ(ReasonOf(BookZoya(Msk(2021, 6, 8, 14))), kReasonExpertUnavailable);
  EXPECT_EQ(ReasonOf(BookZoya(Msk(2021, 6, 9, 11))), kReasonExpertUnavailable)
      << "the dated exception removes her Wednesday";
  // Her availability changes: the next event replaces the read model.
  ev::ExpertSnapshot snapshot = Expert("Europe/Kaliningrad", 13, 18).expert_added().expert();
  ev::DomainEvent changed;
  *changed.mutable_expert_availability_changed()->mutable_expert() = snapshot;
  changed.set_type("etnik.events.v1.ExpertAvailabilityChanged");
  Deliver(changed, store::kHubsStream);
  EXPECT_TRUE(BookZoya(Msk(2021, 6, 8, 14)).ok());
  EXPECT_EQ(ReasonOf(BookZoya(Msk(2021, 6, 10, 11))), kReasonExpertUnavailable);

  // Registration moves the practice stage's start: bookings follow the new window.
  ev::DomainEvent stage;
  stage.set_type("etnik.events.v1.ProgrammeStageChanged");
  ev::ProgrammeStageChanged* m = stage.mutable_programme_stage_changed();
  m->set_programme(kProgramme);
  m->set_stage(kPractice);
  m->set_time_zone("Europe/Moscow");
  SetTs(m->mutable_window()->mutable_start_time(), Msk(2021, 6, 15, 0));
  SetTs(m->mutable_window()->mutable_end_time(), Msk(2021, 11, 1, 0));
  auto* target = m->add_targets();
  target->set_metric(etnik::common::v1::TARGET_METRIC_WEBINARS_AND_MASTER_CLASSES);
  target->set_value(25);
  Deliver(stage, store::kRegistrationStream);
  EXPECT_EQ(ReasonOf(BookZoya(Msk(2021, 6, 14, 15))), kReasonOutsideStageWindow);
  absl::StatusOr<ProgressReport> progress = scheduler_->GetProgrammeProgress(Organiser(), kProgramme);
  ASSERT_TRUE(progress.ok());
  ASSERT_EQ(progress->targets.size(), 1u);
  EXPECT_EQ(progress->targets[0].target, 25);

  // A redelivered entry (same event_id) changes nothing and is counted as a duplicate.
  ev::DomainEvent again = Expert("Europe/Kaliningrad", 9, 13);
  again.set_event_id("ev-1");
  ASSERT_TRUE(redis_->Execute({"XADD", store::kHubsStream, "*", "event_id", "ev-1", "type",
                               "etnik.events.v1.ExpertAdded", "payload", again.SerializeAsString()})
                  .ok());
  ASSERT_TRUE(consumers_[0]->ReadOnce().ok());
  EXPECT_EQ(redis::MetricValue(registry_, "etnik_events_consumed_total",
                               {{"result", "duplicate"}, {"stream", store::kHubsStream}}), 1);
  EXPECT_TRUE(BookZoya(Msk(2021, 6, 17, 14)).ok()) << "still the changed availability";

  // Hub leads come with HubPublished and ride along in the booking facts.
  ev::DomainEvent hub;
  hub.set_type("etnik.events.v1.HubLeadChanged");
  hub.mutable_hub_lead_changed()->set_hub("hubs/media");
  hub.mutable_hub_lead_changed()->set_programme(kProgramme);
  auto* lead = hub.mutable_hub_lead_changed()->add_leads();
  lead->set_id("lead-9");
  lead->set_full_name("Новый лид");
  Deliver(hub, store::kHubsStream);
  absl::StatusOr<std::optional<HubInfo>> info;
  ASSERT_TRUE(store_->Run(TxKind::kRead, [&](SchedulingTx& tx) {
                info = tx.GetHub("hubs/media");
                return info.status();
              }).ok());
  ASSERT_TRUE(info->has_value());
  ASSERT_EQ((*info)->leads.size(), 1u);
  EXPECT_EQ((*info)->leads[0].id, "lead-9");
  EXPECT_EQ((*info)->title.ru, "Медиа") << "the title is kept";
}

TEST_P(ForeignEventsTest, AnEventOlderThanTheAppliedOneIsIgnored) {
  MakeWebinarEvent("w");
  auto versioned = [](ev::DomainEvent e, int64_t version) {
    e.set_aggregate_id("experts/zoya");
    e.set_aggregate_version(version);
    return e;
  };
  // Version 3 (09:00-13:00 Kaliningrad) arrives before version 2 (13:00-18:00).
  Deliver(versioned(Expert("Europe/Kaliningrad", 9, 13), 3), store::kHubsStream);
  Deliver(versioned(Expert("Europe/Kaliningrad", 13, 18), 2), store::kHubsStream);
  EXPECT_TRUE(BookZoya(Msk(2021, 6, 7, 12)).ok()) << "version 3 is still in force";
  EXPECT_EQ(ReasonOf(BookZoya(Msk(2021, 6, 8, 16))), kReasonExpertUnavailable)
      << "version 2 must not have been applied";
  // The same version again changes nothing either; a newer one applies.
  Deliver(versioned(Expert("Europe/Kaliningrad", 13, 18), 3), store::kHubsStream);
  EXPECT_EQ(ReasonOf(BookZoya(Msk(2021, 6, 8, 16))), kReasonExpertUnavailable);
  Deliver(versioned(Expert("Europe/Kaliningrad", 13, 18), 4), store::kHubsStream);
  EXPECT_TRUE(BookZoya(Msk(2021, 6, 8, 16)).ok()) << "version 4 applies";

  // Hubs are versioned per hub: an old lead change does not replace a newer one.
  auto lead_change = [](const char* lead, int64_t version) {
    ev::DomainEvent e;
    e.set_type("etnik.events.v1.HubLeadChanged");
    e.set_aggregate_id("hubs/media");
    e.set_aggregate_version(version);
    e.mutable_hub_lead_changed()->set_hub("hubs/media");
    e.mutable_hub_lead_changed()->set_programme(kProgramme);
    e.mutable_hub_lead_changed()->add_leads()->set_id(lead);
    return e;
  };
  Deliver(lead_change("lead-new", 7), store::kHubsStream);
  Deliver(lead_change("lead-old", 6), store::kHubsStream);
  absl::StatusOr<std::optional<HubInfo>> info;
  ASSERT_TRUE(store_->Run(TxKind::kRead, [&](SchedulingTx& tx) {
                info = tx.GetHub("hubs/media");
                return info.status();
              }).ok());
  ASSERT_TRUE(info->has_value());
  ASSERT_EQ((*info)->leads.size(), 1u);
  EXPECT_EQ((*info)->leads[0].id, "lead-new");
}

ETNIK_SCHEDULING_ON_BOTH_ENGINES(ForeignEventsTest);

}  // namespace
}  // namespace etnik::scheduling::testing
