// The booking rules end to end over the real store, on SQLite and PostgreSQL.

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/store/store_test_env.h"

namespace etnik::scheduling::testing {
namespace {

using BookingTest = SchedulingStoreTest;

class BufferedBookingTest : public SchedulingStoreTest {
 protected:
  SchedulerOptions Options() const override {
    SchedulerOptions o;
    o.policy.expert_buffer = absl::Minutes(30);
    o.policy.weekly_limit = 2;
    return o;
  }
};

std::string Reason(const absl::Status& s) {
  std::optional<ErrorInfo> info = GetErrorInfo(s);
  return info.has_value() ? info->reason : "";
}

absl::StatusOr<Session> Book(Scheduler& scheduler, const Actor& actor, const std::string& event,
                             const Session& s, const std::string& id = "",
                             const std::string& request_id = "") {
  BookSessionCommand c;
  c.event_id = event;
  c.session = s;
  c.session_id = id;
  c.request_id = request_id;
  return scheduler.BookSession(actor, c);
}

TEST_P(BookingTest, HubLeadBooksAndTheDoubleBookingNamesTheConflict) {
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/anna")).ok());
  MakeWebinarEvent("media-webinars");
  absl::StatusOr<Session> first = Book(*scheduler_, HubLead("media"), "media-webinars",
                                       Online(Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"}), "first");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->name(), "events/media-webinars/sessions/first");
  EXPECT_EQ(first->hub, "hubs/media");
  EXPECT_EQ(first->state, SessionState::kScheduled);
  EXPECT_EQ(first->booked_by, "lead-1");
  EXPECT_EQ(OutboxCount("etnik.events.v1.SessionBooked"), 1);

  absl::Status overlap = Book(*scheduler_, HubLead("media"), "media-webinars",
                              Online(Msk(2021, 6, 2, 15, 30), absl::Hours(1), {"experts/anna"}))
                             .status();
  EXPECT_EQ(overlap.code(), absl::StatusCode::kFailedPrecondition);
  std::optional<ErrorInfo> info = GetErrorInfo(overlap);
  ASSERT_TRUE(info.has_value()) << overlap;
  EXPECT_EQ(info->reason, kReasonExpertDoubleBooked);
  EXPECT_EQ(info->metadata["conflictingSession"], "events/media-webinars/sessions/first");
  EXPECT_EQ(info->metadata["resource"], "experts/anna");
  EXPECT_EQ(OutboxCount("etnik.events.v1.SessionBooked"), 1) << "a refused booking publishes nothing";

  // Touching ranges do not overlap.
  EXPECT_TRUE(Book(*scheduler_, HubLead("media"), "media-webinars",
                   Online(Msk(2021, 6, 2, 16), absl::Hours(1), {"experts/anna"}))
                  .ok());
  // Another hub's lead may not book the media hub's sessions.
  EXPECT_EQ(Book(*scheduler_, HubLead("crafts", "lead-2"), "media-webinars",
                 Online(Msk(2021, 6, 3, 15), absl::Hours(1), {"experts/anna"}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(BookingTest, RoomsAreNeverDoubleBooked) {
  Venue hotel;
  hotel.title.ru = "Гостиница";
  hotel.time_zone = "Europe/Moscow";
  hotel.rooms = {{"hall", {"Большой зал", ""}, 40}, {"small", {"Малый зал", ""}, 12}};
  ASSERT_TRUE(scheduler_->CreateVenue(Organiser(), hotel, "hotel", "").ok());
  Event seminar;
  seminar.programme = kProgramme;
  seminar.stage = kTraining;
  seminar.kind = EventKind::kSeminar;
  seminar.title.ru = "Организационный семинар";
  seminar.venue = "venues/hotel";
  seminar.time_zone = "Europe/Moscow";
  ASSERT_TRUE(scheduler_->CreateEvent(Organiser(), seminar, "seminar", "").ok());
  Session day1;
  day1.start = Msk(2021, 5, 20, 10);
  day1.end = Msk(2021, 5, 20, 18);
  day1.time_zone = "Europe/Moscow";
  day1.room = "venues/hotel/rooms/hall";
  absl::StatusOr<Session> booked = Book(*scheduler_, Organiser(), "seminar", day1, "day-1");
  ASSERT_TRUE(booked.ok()) << booked.status();
  EXPECT_EQ(booked->capacity, 40) << "the room's seats";
  Session clash = day1;
  clash.start = Msk(2021, 5, 20, 17);
  clash.end = Msk(2021, 5, 20, 19);
  absl::Status refused = Book(*scheduler_, Organiser(), "seminar", clash).status();
  EXPECT_EQ(Reason(refused), kReasonRoomDoubleBooked);
  EXPECT_EQ(GetErrorInfo(refused)->metadata["conflictingSession"], "events/seminar/sessions/day-1");
  clash.room = "venues/hotel/rooms/small";
  EXPECT_TRUE(Book(*scheduler_, Organiser(), "seminar", clash).ok());
}

TEST_P(BookingTest, AvailabilityStageWindowAndUnknownExpertsAreChecked) {
  ExpertProfile anna = AlwaysFree("experts/anna", "Asia/Vladivostok");
  anna.weekly = {{absl::Weekday::wednesday, 10 * 60, 13 * 60}};  // 03:00-06:00 Moscow
  ASSERT_TRUE(scheduler_->ApplyExpert(anna).ok());
  MakeWebinarEvent("w");
  // 15:00 Moscow is 22:00 in Vladivostok: outside her window.
  absl::Status late = Book(*scheduler_, HubLead("media"), "w",
                           Online(Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"})).status();
  EXPECT_EQ(Reason(late), kReasonExpertUnavailable);
  EXPECT_EQ(GetErrorInfo(late)->metadata["expertTimeZone"], "Asia/Vladivostok");
  EXPECT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Local("Asia/Vladivostok", 2021, 6, 2, 10), absl::Hours(2), {"experts/anna"},
                          "Asia/Vladivostok"))
                  .ok());
  // The practice stage starts on 1 June.
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/boris")).ok());
  EXPECT_EQ(Reason(Book(*scheduler_, HubLead("media"), "w",
                        Online(Msk(2021, 5, 31, 23, 30), absl::Hours(1), {"experts/boris"}))
                       .status()),
            kReasonOutsideStageWindow);
  EXPECT_EQ(Reason(Book(*scheduler_, HubLead("media"), "w",
                        Online(Msk(2021, 6, 5, 12), absl::Hours(1), {"experts/nobody"}))
                       .status()),
            kReasonExpertUnknown);
}

TEST_P(BufferedBookingTest, BufferAndWeeklyLimitAreEnforced) {
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/anna")).ok());
  MakeWebinarEvent("w");
  ASSERT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Msk(2021, 6, 7, 10), absl::Hours(1), {"experts/anna"}), "a").ok());
  // 11:15 leaves only 15 minutes after 11:00: refused, naming the first session.
  absl::Status tight = Book(*scheduler_, HubLead("media"), "w",
                            Online(Msk(2021, 6, 7, 11, 15), absl::Hours(1), {"experts/anna"})).status();
  EXPECT_EQ(Reason(tight), kReasonExpertDoubleBooked);
  EXPECT_EQ(GetErrorInfo(tight)->metadata["conflictingSession"], "events/w/sessions/a");
  // A session before the first must also end 30 minutes before it.
  EXPECT_FALSE(Book(*scheduler_, HubLead("media"), "w",
                    Online(Msk(2021, 6, 7, 8, 45), absl::Hours(1), {"experts/anna"})).ok());
  ASSERT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Msk(2021, 6, 7, 11, 30), absl::Hours(1), {"experts/anna"}), "b").ok());
  // Two this week already (limit 2); next Monday is a new week.
  EXPECT_EQ(Reason(Book(*scheduler_, HubLead("media"), "w",
                        Online(Msk(2021, 6, 13, 18), absl::Hours(1), {"experts/anna"})).status()),
            kReasonWeeklyLimit);
  EXPECT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Msk(2021, 6, 14, 10), absl::Hours(1), {"experts/anna"})).ok());
  // A cancelled session no longer counts towards the limit.
  ASSERT_TRUE(scheduler_->CancelSession(HubLead("media"), {{"w", "b"}, "болезнь", "", ""}).ok());
  EXPECT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Msk(2021, 6, 13, 18), absl::Hours(1), {"experts/anna"})).ok());
}

TEST_P(BookingTest, RequestIdMakesBookingIdempotent) {
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/anna")).ok());
  MakeWebinarEvent("w");
  Session s = Online(Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"});
  absl::StatusOr<Session> first = Book(*scheduler_, HubLead("media"), "w", s, "", "req-1");
  absl::StatusOr<Session> retry = Book(*scheduler_, HubLead("media"), "w", s, "", "req-1");
  ASSERT_TRUE(first.ok() && retry.ok()) << retry.status();
  EXPECT_EQ(first->name(), retry->name());
  EXPECT_EQ(OutboxCount("etnik.events.v1.SessionBooked"), 1);
  ListSessionsCommand all;
  all.query.event_id = "w";
  EXPECT_EQ(scheduler_->ListSessions(all)->items.size(), 1u);
}

TEST_P(BookingTest, RescheduleMovesReservationsAndCancelReleasesThem) {
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/anna")).ok());
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/boris")).ok());
  MakeWebinarEvent("w");
  ASSERT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"}), "a").ok());
  absl::StatusOr<Session> b = Book(*scheduler_, HubLead("media"), "w",
                                   Online(Msk(2021, 6, 2, 17), absl::Hours(1), {"experts/anna", "experts/boris"}), "b");
  ASSERT_TRUE(b.ok());
  RescheduleCommand move;
  move.ref = {"w", "b"};
  move.start = Msk(2021, 6, 2, 15, 30);
  move.end = Msk(2021, 6, 2, 16, 30);
  move.etag = EtagOf(b->version);
  // Onto anna's other session: refused, and b keeps its old time and claims.
  absl::Status refused = scheduler_->RescheduleSession(HubLead("media"), move).status();
  EXPECT_EQ(Reason(refused), kReasonExpertDoubleBooked);
  EXPECT_EQ(scheduler_->GetSession({"w", "b"})->start, Msk(2021, 6, 2, 17));
  EXPECT_FALSE(Book(*scheduler_, HubLead("media"), "w",
                    Online(Msk(2021, 6, 2, 17), absl::Hours(1), {"experts/boris"})).ok());
  // To a free time: the old range frees up, the new one is taken.
  move.start = Msk(2021, 6, 3, 10);
  move.end = Msk(2021, 6, 3, 11);
  absl::StatusOr<Session> moved = scheduler_->RescheduleSession(HubLead("media"), move);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->sequence, 1);
  EXPECT_EQ(OutboxCount("etnik.events.v1.SessionRescheduled"), 1);
  EXPECT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Msk(2021, 6, 2, 17), absl::Hours(1), {"experts/boris"})).ok());
  EXPECT_FALSE(Book(*scheduler_, HubLead("media"), "w",
                    Online(Msk(2021, 6, 3, 10, 30), absl::Hours(1), {"experts/boris"})).ok());
  // A stale etag is ABORTED.
  EXPECT_EQ(scheduler_->RescheduleSession(HubLead("media"), move).status().code(),
            absl::StatusCode::kAborted);
  // Cancelling frees the expert; the session stays, cancelled, with a raised sequence.
  absl::StatusOr<Session> cancelled = scheduler_->CancelSession(
      HubLead("media"), {{"w", "b"}, "перенос", EtagOf(moved->version), ""});
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state, SessionState::kCancelled);
  EXPECT_EQ(cancelled->sequence, 2);
  EXPECT_EQ(OutboxCount("etnik.events.v1.SessionCancelled"), 1);
  EXPECT_TRUE(Book(*scheduler_, HubLead("media"), "w",
                   Online(Msk(2021, 6, 3, 10, 30), absl::Hours(1), {"experts/boris"})).ok());
  // Cancelled sessions cannot be moved.
  move.etag.clear();
  EXPECT_EQ(Reason(scheduler_->RescheduleSession(HubLead("media"), move).status()),
            kReasonSessionNotScheduled);
}

// PostgreSQL only: pg_prepared_statements counts the executions of each prepared statement.
using PreparedStatementsTest = SchedulingStoreTest;

TEST_P(PreparedStatementsTest, BookingStatementsArePreparedOncePerConnection) {
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/anna")).ok());
  MakeWebinarEvent("w");
  // One connection, so every booking runs on it.
  std::unique_ptr<db::Database> one = database_.Open(clock_, 1);
  store::SqlSchedulingStore store(*one, clock_);
  Scheduler scheduler(store, clock_, Options());
  constexpr int kBookings = 4;
  for (int i = 0; i < kBookings; ++i) {
    absl::StatusOr<Session> s = Book(scheduler, HubLead("media"), "w",
                                     Online(Msk(2021, 6, 2 + 7 * i, 15), absl::Hours(1), {"experts/anna"}));
    ASSERT_TRUE(s.ok()) << s.status();
  }
  long long session_reads = 0, expert_reads = 0, statements = 0;
  ASSERT_TRUE(one->InTransaction(db::TxMode::kRead, [&](soci::session& s) {
                   s << "SELECT COUNT(*) FROM pg_prepared_statements", soci::into(statements);
                   s << "SELECT COALESCE(MAX(generic_plans + custom_plans), 0) FROM pg_prepared_statements"
                        " WHERE statement LIKE '%FROM sched_sessions s WHERE s.name = %'",
                       soci::into(session_reads);
                   s << "SELECT COALESCE(MAX(generic_plans + custom_plans), 0) FROM pg_prepared_statements"
                        " WHERE statement LIKE '%FROM sched_experts WHERE expert = %'",
                       soci::into(expert_reads);
                   return absl::OkStatus();
                 }).ok());
  EXPECT_GE(session_reads, kBookings) << "one prepared session lookup, run by every booking";
  EXPECT_GE(expert_reads, kBookings) << "one prepared expert lookup, run by every booking";
  EXPECT_LT(statements, 60) << "statements are not prepared afresh per booking";
}

ETNIK_SCHEDULING_ON_BOTH_ENGINES(BookingTest);
ETNIK_SCHEDULING_ON_BOTH_ENGINES(BufferedBookingTest);
INSTANTIATE_TEST_SUITE_P(Engines, PreparedStatementsTest, ::testing::Values(db::Engine::kPostgres),
                         EngineName);

}  // namespace
}  // namespace etnik::scheduling::testing
