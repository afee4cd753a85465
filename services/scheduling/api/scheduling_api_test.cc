// The scheduling API over gRPC: authorisation, error details, caching, time zones, slots.

#include "absl/strings/str_cat.h"
#include "common/redis/test_metrics.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/api/api_test_env.h"
#include "services/scheduling/api/ics_check.h"
#include "services/scheduling/domain/errors.h"

namespace etnik::scheduling::testing {
namespace {

using ::testing::HasSubstr;

class SchedulingApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    SeedReadModels({AlwaysFree("experts/anna"), AlwaysFree("experts/ivan", "Asia/Vladivostok"),
                    AlwaysFree("experts/olga", "Europe/Kaliningrad"),
                    AlwaysFree("experts/hans", "Europe/Berlin")});
    pb::CreateEventRequest req;
    pb::Event* e = req.mutable_event();
    e->set_programme(kProgramme);
    e->set_stage(kPractice);
    e->set_kind(etnik::common::v1::EVENT_KIND_WEBINAR);
    e->mutable_title()->set_ru("Вебинары медиа-хаба");
    e->set_hub("hubs/media");
    e->set_time_zone("Europe/Moscow");
    e->set_open_registration(true);
    req.set_event_id("media");
    pb::Event created;
    grpc::Status s = stub_->CreateEvent(Ctx(LeadToken("media")).get(), req, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status Book(const std::string& token, absl::Time start, absl::Duration length,
                    std::vector<std::string> hosts, const std::string& zone, pb::Session* out,
                    const std::string& id = "") {
    pb::BookSessionRequest req;
    req.set_parent("events/media");
    req.set_session_id(id);
    pb::Session* s = req.mutable_session();
    SetTs(s->mutable_start_time(), start);
    SetTs(s->mutable_end_time(), start + length);
    s->set_time_zone(zone);
    for (const std::string& h : hosts) s->add_hosts(h);
    s->mutable_online_room()->set_join_uri("https://meet.example/media");
    s->mutable_online_room()->set_access_code("1234");
    return stub_->BookSession(Ctx(token).get(), req, out);
  }
};

TEST_F(SchedulingApiTest, AuthorisationAndRichErrors) {
  pb::Session booked;
  ASSERT_TRUE(Book(LeadToken("media"), Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"},
                   "Europe/Moscow", &booked, "first").ok());
  EXPECT_EQ(booked.online_room().access_code(), "1234");
  pb::Session out;
  EXPECT_EQ(Book("", Msk(2021, 6, 3, 15), absl::Hours(1), {"experts/anna"}, "Europe/Moscow", &out)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Book(ParticipantToken("p1"), Msk(2021, 6, 3, 15), absl::Hours(1), {"experts/anna"},
                 "Europe/Moscow", &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Book(LeadToken("crafts"), Msk(2021, 6, 3, 15), absl::Hours(1), {"experts/anna"},
                 "Europe/Moscow", &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The conflict travels as FAILED_PRECONDITION with an ErrorInfo naming the session in the way.
  grpc::Status conflict = Book(OrganiserToken(), Msk(2021, 6, 2, 15, 30), absl::Hours(1),
                               {"experts/anna"}, "Europe/Moscow", &out);
  ASSERT_EQ(conflict.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  std::optional<ErrorInfo> info = GetErrorInfo(FromGrpcStatus(conflict));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason, kReasonExpertDoubleBooked);
  EXPECT_EQ(info->metadata["conflictingSession"], "events/media/sessions/first");
  EXPECT_EQ(redis::MetricValue(registry_, "etnik_bookings_refused_total",
                               {{"reason", kReasonExpertDoubleBooked}}), 1);
  // Field violations travel as BadRequest.
  pb::BookSessionRequest bad;
  bad.set_parent("events/media");
  bad.mutable_session()->set_time_zone("Europe/Atlantis");
  grpc::Status invalid = stub_->BookSession(Ctx(OrganiserToken()).get(), bad, &out);
  ASSERT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<FieldViolation> v = GetFieldViolations(FromGrpcStatus(invalid));
  EXPECT_THAT(v, ::testing::Contains(::testing::Field(&FieldViolation::field, "session.start_time")));
  EXPECT_THAT(v, ::testing::Contains(::testing::Field(&FieldViolation::field, "session.time_zone")));

  // Anonymous readers see the schedule, never the access code.
  pb::GetSessionRequest get;
  get.set_name("events/media/sessions/first");
  pb::Session seen;
  ASSERT_TRUE(stub_->GetSession(Ctx().get(), get, &seen).ok());
  EXPECT_EQ(seen.online_room().join_uri(), "https://meet.example/media");
  EXPECT_EQ(seen.online_room().access_code(), "");
  ASSERT_TRUE(stub_->GetSession(Ctx(LeadToken("media")).get(), get, &seen).ok());
  EXPECT_EQ(seen.online_room().access_code(), "1234");
  // ...and registered attendees see it too.
  pb::RegisterAttendeeRequest reg;
  reg.set_parent("events/media/sessions/first");
  reg.mutable_attendee()->set_full_name("Участник");
  reg.mutable_attendee()->set_email("p1@example.org");
  reg.mutable_attendee()->set_participant("programmes/etnik-2021/participants/p1");
  pb::Attendee attendee;
  ASSERT_TRUE(stub_->RegisterAttendee(Ctx(ParticipantToken("p1")).get(), reg, &attendee).ok());
  EXPECT_EQ(attendee.state(), pb::ATTENDEE_STATE_REGISTERED);
  ASSERT_TRUE(stub_->GetSession(Ctx(ParticipantToken("p1")).get(), get, &seen).ok());
  EXPECT_EQ(seen.online_room().access_code(), "1234");
  // Progress is for organisers (and hub leads), not for the public.
  pb::GetProgrammeProgressRequest progress;
  progress.set_programme(kProgramme);
  pb::ProgrammeProgress report;
  EXPECT_EQ(stub_->GetProgrammeProgress(Ctx().get(), progress, &report).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stub_->GetProgrammeProgress(Ctx(OrganiserToken()).get(), progress, &report).ok());
}

TEST_F(SchedulingApiTest, ListingsAreCachedAndInvalidatedOnWrite) {
  pb::Session out;
  ASSERT_TRUE(Book(LeadToken("media"), Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"},
                   "Europe/Moscow", &out).ok());
  pb::ListSessionsRequest list;
  list.set_parent("events/-");
  list.set_programme(kProgramme);
  pb::ListSessionsResponse first, second, third;
  ASSERT_TRUE(stub_->ListSessions(Ctx().get(), list, &first).ok());
  ASSERT_TRUE(stub_->ListSessions(Ctx().get(), list, &second).ok());
  EXPECT_EQ(first.sessions_size(), 1);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(redis::MetricValue(registry_, "etnik_cache_requests_total", {{"result", "miss"}}), 1);
  // The second read is a hit: in process memory once the near cache has subscribed to
  // invalidations, else one Redis read of generation and listing together.
  EXPECT_EQ(redis::MetricValue(registry_, "etnik_cache_requests_total", {{"result", "hit"}}) +
                redis::MetricValue(registry_, "etnik_cache_near_requests_total", {{"result", "hit"}}),
            1);
  EXPECT_EQ(first.sessions(0).online_room().access_code(), "") << "listings never carry codes";
  // A write makes the next read see it at once.
  ASSERT_TRUE(Book(LeadToken("media"), Msk(2021, 6, 3, 15), absl::Hours(1), {"experts/anna"},
                   "Europe/Moscow", &out).ok());
  ASSERT_TRUE(stub_->ListSessions(Ctx().get(), list, &third).ok());
  EXPECT_EQ(third.sessions_size(), 2);
  // Pages: one at a time, in start order.
  list.set_page_size(1);
  pb::ListSessionsResponse page1, page2;
  ASSERT_TRUE(stub_->ListSessions(Ctx().get(), list, &page1).ok());
  ASSERT_EQ(page1.sessions_size(), 1);
  ASSERT_FALSE(page1.next_page_token().empty());
  list.set_page_token(page1.next_page_token());
  ASSERT_TRUE(stub_->ListSessions(Ctx().get(), list, &page2).ok());
  ASSERT_EQ(page2.sessions_size(), 1);
  EXPECT_TRUE(page2.next_page_token().empty());
  EXPECT_LT(page1.sessions(0).start_time().seconds(), page2.sessions(0).start_time().seconds());
  // A token of another query is refused.
  list.set_hub("hubs/other");
  EXPECT_EQ(stub_->ListSessions(Ctx().get(), list, &page2).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SchedulingApiTest, TimeZonesNeverShiftASession) {
  struct Case {
    const char* id;
    const char* zone;
    const char* host;
    absl::Time start;
  };
  const std::vector<Case> cases = {
      {"moscow", "Europe/Moscow", "experts/anna", Local("Europe/Moscow", 2021, 6, 7, 15)},
      {"vladivostok", "Asia/Vladivostok", "experts/ivan", Local("Asia/Vladivostok", 2021, 6, 8, 10)},
      {"kaliningrad", "Europe/Kaliningrad", "experts/olga", Local("Europe/Kaliningrad", 2021, 6, 9, 18)},
      // Berlin: a session planned at 10:00 on 27 October (summer time) and one at 10:00 on
      // 3 November (winter time) stay at 10:00 on the wall clock: 08:00 and 09:00 UTC.
      {"berlin-summer", "Europe/Berlin", "experts/hans", Local("Europe/Berlin", 2021, 10, 27, 10)},
      {"berlin-winter", "Europe/Berlin", "experts/hans", Local("Europe/Berlin", 2021, 11, 3, 10)},
  };
  for (const Case& c : cases) {
    pb::Session out;
    grpc::Status s = Book(OrganiserToken(), c.start, absl::Hours(1), {c.host}, c.zone, &out, c.id);
    ASSERT_TRUE(s.ok()) << c.id << ": " << s.error_message();
  }
  EXPECT_EQ(Local("Europe/Berlin", 2021, 10, 27, 10), absl::FromCivil(absl::CivilHour(2021, 10, 27, 8), absl::UTCTimeZone()));
  EXPECT_EQ(Local("Europe/Berlin", 2021, 11, 3, 10), absl::FromCivil(absl::CivilHour(2021, 11, 3, 9), absl::UTCTimeZone()));
  // Read back through every path: the same instants and zones.
  pb::ListSessionsRequest list;
  list.set_parent("events/media");
  pb::ListSessionsResponse listed;
  ASSERT_TRUE(stub_->ListSessions(Ctx().get(), list, &listed).ok());
  ASSERT_EQ(listed.sessions_size(), 5);
  std::map<std::string, pb::Session> by_name;
  for (const pb::Session& s : listed.sessions()) by_name[s.name()] = s;
  for (const Case& c : cases) {
    const pb::Session& s = by_name[absl::StrCat("events/media/sessions/", c.id)];
    EXPECT_EQ(FromTs(s.start_time()), c.start) << c.id;
    EXPECT_EQ(s.time_zone(), c.zone) << c.id;
    absl::TimeZone zone;
    ASSERT_TRUE(absl::LoadTimeZone(c.zone, &zone));
    EXPECT_EQ(absl::ToCivilHour(FromTs(s.start_time()), zone).hour(),
              absl::ToCivilHour(c.start, zone).hour());
  }
  // The calendar says the same, as read by an independent parser.
  pb::GetCalendarFeedRequest feed_req;
  feed_req.set_hub("hubs/media");
  pb::CalendarFeed feed;
  ASSERT_TRUE(stub_->GetCalendarFeed(Ctx().get(), feed_req, &feed).ok());
  EXPECT_THAT(feed.body(), HasSubstr("DTSTART;TZID=Europe/Berlin:20211027T100000"));
  EXPECT_THAT(feed.body(), HasSubstr("DTSTART;TZID=Europe/Berlin:20211103T100000"));
  EXPECT_THAT(feed.body(), HasSubstr("DTSTART;TZID=Asia/Vladivostok:20210608T100000"));
  EXPECT_EQ(CheckRequiredProperties(feed.body()), 5);
  std::vector<std::map<std::string, ParsedEvent>> parsed = ParseWithPython({feed.body()});
  ASSERT_EQ(parsed.size(), 1u);
  for (const Case& c : cases) {
    const std::string uid = absl::StrCat("events.media.sessions.", c.id, "@etnik");
    ASSERT_TRUE(parsed[0].count(uid)) << uid;
    EXPECT_EQ(parsed[0][uid].start, c.start) << c.id;
    EXPECT_EQ(parsed[0][uid].end, c.start + absl::Hours(1)) << c.id;
  }
  // Moving the Vladivostok session raises SEQUENCE; cancelling marks it CANCELLED.
  pb::RescheduleSessionRequest move;
  move.set_name("events/media/sessions/vladivostok");
  SetTs(move.mutable_start_time(), Local("Asia/Vladivostok", 2021, 6, 8, 12));
  SetTs(move.mutable_end_time(), Local("Asia/Vladivostok", 2021, 6, 8, 13));
  pb::Session moved;
  ASSERT_TRUE(stub_->RescheduleSession(Ctx(OrganiserToken()).get(), move, &moved).ok());
  pb::CancelSessionRequest cancel;
  cancel.set_name("events/media/sessions/kaliningrad");
  cancel.set_reason("болезнь эксперта");
  ASSERT_TRUE(stub_->CancelSession(Ctx(OrganiserToken()).get(), cancel, &moved).ok());
  pb::CalendarFeed after;
  ASSERT_TRUE(stub_->GetCalendarFeed(Ctx().get(), feed_req, &after).ok());
  EXPECT_NE(after.etag(), feed.etag());
  parsed = ParseWithPython({after.body()});
  EXPECT_EQ(parsed[0]["events.media.sessions.vladivostok@etnik"].sequence, 1);
  EXPECT_EQ(parsed[0]["events.media.sessions.vladivostok@etnik"].start, Local("Asia/Vladivostok", 2021, 6, 8, 12));
  EXPECT_EQ(parsed[0]["events.media.sessions.kaliningrad@etnik"].status, "CANCELLED");
  EXPECT_EQ(parsed[0]["events.media.sessions.kaliningrad@etnik"].sequence, 1);
  EXPECT_EQ(parsed[0]["events.media.sessions.moscow@etnik"].sequence, 0);
}

TEST_F(SchedulingApiTest, BerlinAroundTheEndOfMarchKeepsTheWallClock) {
  // An online course in the training stage, Mondays 10:00 Berlin time, either side of the
  // 28 March 2021 change: 09:00 UTC, then 08:00 UTC, and 10:00 on the wall clock both times.
  pb::CreateEventRequest req;
  pb::Event* e = req.mutable_event();
  e->set_programme(kProgramme);
  e->set_stage(kTraining);
  e->set_kind(etnik::common::v1::EVENT_KIND_COURSE);
  e->mutable_title()->set_ru("Онлайн-курс");
  e->set_time_zone("Europe/Berlin");
  req.set_event_id("course");
  pb::Event created;
  ASSERT_TRUE(stub_->CreateEvent(Ctx(OrganiserToken()).get(), req, &created).ok());
  std::vector<absl::Time> starts;
  for (int day : {22, 29}) {
    pb::BookSessionRequest book;
    book.set_parent("events/course");
    book.set_session_id(absl::StrCat("march-", day));
    pb::Session* s = book.mutable_session();
    starts.push_back(Local("Europe/Berlin", 2021, 3, day, 10));
    SetTs(s->mutable_start_time(), starts.back());
    SetTs(s->mutable_end_time(), starts.back() + absl::Minutes(90));
    s->set_time_zone("Europe/Berlin");
    s->add_hosts("experts/hans");
    s->mutable_online_room()->set_join_uri("https://meet.example/course");
    pb::Session out;
    grpc::Status st = stub_->BookSession(Ctx(OrganiserToken()).get(), book, &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(FromTs(out.start_time()), starts.back());
  }
  EXPECT_EQ(starts[1] - starts[0], absl::Hours(24 * 7 - 1));
  pb::GetCalendarFeedRequest feed_req;
  feed_req.set_expert("experts/hans");
  pb::CalendarFeed feed;
  ASSERT_TRUE(stub_->GetCalendarFeed(Ctx().get(), feed_req, &feed).ok());
  EXPECT_THAT(feed.body(), HasSubstr("DTSTART;TZID=Europe/Berlin:20210322T100000"));
  EXPECT_THAT(feed.body(), HasSubstr("DTSTART;TZID=Europe/Berlin:20210329T100000"));
  CheckRequiredProperties(feed.body());
  std::vector<std::map<std::string, ParsedEvent>> parsed = ParseWithPython({feed.body()});
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0]["events.course.sessions.march-22@etnik"].start, starts[0]);
  EXPECT_EQ(parsed[0]["events.course.sessions.march-29@etnik"].start, starts[1]);
}

TEST_F(SchedulingApiTest, SuggestSlotsInTheCallersZone) {
  pb::Session out;
  // anna is busy 15:00-16:00 Moscow on 2 June; with the 15-minute buffer 16:15 is the next.
  ASSERT_TRUE(Book(LeadToken("media"), Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"},
                   "Europe/Moscow", &out).ok());
  pb::SuggestSlotsRequest req;
  req.set_event("events/media");
  req.add_hosts("experts/anna");
  req.mutable_duration()->set_seconds(3600);
  SetTs(req.mutable_search_range()->mutable_start_time(), Msk(2021, 6, 2, 14, 30));
  SetTs(req.mutable_search_range()->mutable_end_time(), Msk(2021, 6, 3, 0));
  req.set_time_zone("Asia/Vladivostok");
  req.set_max_results(2);
  pb::SuggestSlotsResponse resp;
  grpc::Status s = stub_->SuggestSlots(Ctx(LeadToken("media")).get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.slots_size(), 2);
  EXPECT_EQ(FromTs(resp.slots(0).start_time()), Msk(2021, 6, 2, 16, 15));
  EXPECT_EQ(resp.slots(0).local_start(), "2021-06-02T23:15:00+10:00");
  EXPECT_EQ(resp.slots(1).local_start(), "2021-06-02T23:30:00+10:00");
  EXPECT_EQ(resp.time_zone(), "Asia/Vladivostok");
}

}  // namespace
}  // namespace etnik::scheduling::testing
