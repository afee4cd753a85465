// Registrations, the waiting list, check-in, attendance and progress over the real store.

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/store/store_test_env.h"

namespace etnik::scheduling::testing {
namespace {

using ::testing::ElementsAre;

class AttendeeTest : public SchedulingStoreTest {
 protected:
  void SetUp() override {
    SchedulingStoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/anna")).ok());
    MakeWebinarEvent("w");
    BookSessionCommand c;
    c.event_id = "w";
    c.session = Online(Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"});
    c.session.capacity = 3;
    c.session_id = "s";
    ASSERT_TRUE(scheduler_->BookSession(HubLead("media"), c).ok());
  }

  absl::StatusOr<Attendee> Register(const std::string& who) {
    RegisterCommand c;
    c.ref = {"w", "s"};
    c.attendee.full_name = who;
    c.attendee.email = who + "@example.org";
    c.attendee.participant = "programmes/etnik-2021/participants/" + who;
    return scheduler_->RegisterAttendee(Participant(who), c);
  }

  std::vector<std::string> Names(AttendeeState state) {
    ListAttendeesCommand c;
    c.session = SessionRef{"w", "s"};
    c.states = {state};
    absl::StatusOr<Page<Attendee>> page = scheduler_->ListAttendees(HubLead("media"), c);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const Attendee& a : page->items) out.push_back(a.full_name);
    }
    return out;
  }
};

TEST_P(AttendeeTest, WaitingListRefillsInOrder) {
  // 3 seats, 6 registrations: p1..p3 seated, p4..p6 waiting in that order.
  std::vector<Attendee> people;
  for (const char* who : {"p1", "p2", "p3", "p4", "p5", "p6"}) {
    clock_.Advance(absl::Minutes(1));
    absl::StatusOr<Attendee> a = Register(who);
    ASSERT_TRUE(a.ok()) << a.status();
    people.push_back(*a);
  }
  EXPECT_EQ(people[2].state, AttendeeState::kRegistered);
  EXPECT_EQ(people[3].state, AttendeeState::kWaitlisted);
  EXPECT_EQ(people[3].waitlist_position, 1);
  EXPECT_EQ(people[5].waitlist_position, 3);
  EXPECT_THAT(Names(AttendeeState::kWaitlisted), ElementsAre("p4", "p5", "p6"));

  // Two cancellations: exactly the first two waiting get the seats, in order.
  for (int i : {1, 0}) {
    absl::StatusOr<Attendee> c = scheduler_->CancelRegistration(
        Participant(people[i].full_name), {AttendeeRef{{"w", "s"}, people[i].id}, "", ""});
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->state, AttendeeState::kCancelled);
  }
  EXPECT_THAT(Names(AttendeeState::kRegistered), ElementsAre("p3", "p4", "p5"));
  EXPECT_THAT(Names(AttendeeState::kWaitlisted), ElementsAre("p6"));
  absl::StatusOr<Session> s = scheduler_->GetSession({"w", "s"});
  EXPECT_EQ(s->registered_count, 3);
  EXPECT_EQ(s->waitlisted_count, 1);
  EXPECT_EQ(OutboxCount("etnik.events.v1.AttendeePromoted"), 2);
  EXPECT_EQ(OutboxCount("etnik.events.v1.AttendeeRegistered"), 6);
  EXPECT_EQ(OutboxCount("etnik.events.v1.AttendeeCancelled"), 2);
  // p6 is now first in line.
  ListAttendeesCommand mine;
  mine.session = SessionRef{"w", "s"};
  absl::StatusOr<Page<Attendee>> own = scheduler_->ListAttendees(Participant("p6"), mine);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->items.size(), 1u) << "participants see only their own registrations";
  EXPECT_EQ(own->items[0].waitlist_position, 1);
}

TEST_P(AttendeeTest, DuplicatesAndClosedEventsAreRefused) {
  ASSERT_TRUE(Register("p1").ok());
  absl::Status again = Register("p1").status();
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  // Anonymous people may register for an open event with an e-mail, not as participants.
  RegisterCommand anon;
  anon.ref = {"w", "s"};
  anon.attendee.full_name = "Гость";
  anon.attendee.email = "guest@example.org";
  EXPECT_TRUE(scheduler_->RegisterAttendee(Actor{}, anon).ok());
  anon.attendee.email = "bad";
  EXPECT_EQ(scheduler_->RegisterAttendee(Actor{}, anon).status().code(),
            absl::StatusCode::kInvalidArgument);
  // After the session ends registration is closed.
  clock_.Set(Msk(2021, 6, 2, 16, 1));
  EXPECT_EQ(ReasonOf(Register("p9").status()), kReasonRegistrationClosed);
}

TEST_P(AttendeeTest, CheckInAttendanceAndProgress) {
  absl::StatusOr<Attendee> p1 = Register("p1");
  ASSERT_TRUE(p1.ok());
  ASSERT_TRUE(Register("p2").ok());
  // A participant cannot check people in; the hub lead can.
  EXPECT_EQ(scheduler_->CheckIn(Participant("p2"), {AttendeeRef{{"w", "s"}, p1->id}, ""}).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<Attendee> in = scheduler_->CheckIn(HubLead("media"), {AttendeeRef{{"w", "s"}, p1->id}, ""});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_TRUE(in->check_in_time.has_value());
  // Held only once it is over.
  EXPECT_EQ(ReasonOf(scheduler_->MarkSessionHeld(HubLead("media"), {{"w", "s"}, "", ""}).status()),
            kReasonSessionNotOver);
  clock_.Set(Msk(2021, 6, 2, 17));
  ASSERT_TRUE(scheduler_->MarkSessionHeld(HubLead("media"), {{"w", "s"}, "", ""}).ok());

  absl::StatusOr<AttendanceReport> attendance = scheduler_->GetAttendance(
      Participant("p1"), kProgramme, "programmes/etnik-2021/participants/p1");
  ASSERT_TRUE(attendance.ok()) << attendance.status();
  EXPECT_EQ(attendance->registered_sessions, 1);
  EXPECT_EQ(attendance->attended_sessions, 1);
  // Someone else's attendance is not shown to a participant.
  EXPECT_TRUE(scheduler_->GetAttendance(Participant("p2"), kProgramme,
                                        "programmes/etnik-2021/participants/p1")->rows.empty());

  absl::StatusOr<ProgressReport> progress = scheduler_->GetProgrammeProgress(Organiser(), kProgramme);
  ASSERT_TRUE(progress.ok()) << progress.status();
  EXPECT_EQ(progress->attendance, 1);
  ASSERT_EQ(progress->targets.size(), 2u);
  EXPECT_EQ(progress->targets[0].metric, 4);
  EXPECT_EQ(progress->targets[0].target, 20);
  EXPECT_EQ(progress->targets[0].actual, 1);
  EXPECT_EQ(progress->targets[1].metric, 6);
  EXPECT_EQ(progress->targets[1].actual, 1);
  ASSERT_EQ(progress->hubs.size(), 1u);
  EXPECT_EQ(progress->hubs[0].first, "hubs/media");
  EXPECT_EQ(progress->hubs[0].second.held, 1);
  EXPECT_EQ(progress->kinds[0].first, EventKind::kWebinar);
  EXPECT_EQ(progress->kinds[0].second.held, 1);
  EXPECT_EQ(scheduler_->GetProgrammeProgress(Participant("p1"), kProgramme).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(AttendeeTest, MoreCapacityPromotesAtOnce) {
  for (const char* who : {"p1", "p2", "p3", "p4", "p5"}) ASSERT_TRUE(Register(who).ok());
  UpdateSessionCommand more;
  more.ref = {"w", "s"};
  more.values.capacity = 4;
  more.fields = {"capacity"};
  absl::StatusOr<Session> s = scheduler_->UpdateSession(HubLead("media"), more);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->registered_count, 4);
  EXPECT_THAT(Names(AttendeeState::kWaitlisted), ElementsAre("p5"));
  more.values.capacity = 2;
  EXPECT_EQ(ReasonOf(scheduler_->UpdateSession(HubLead("media"), more).status()),
            kReasonCapacityBelowRegistered);
}

ETNIK_SCHEDULING_ON_BOTH_ENGINES(AttendeeTest);

}  // namespace
}  // namespace etnik::scheduling::testing
