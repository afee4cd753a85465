// The demo programme's whole calendar booked through the API: the two-day seminar in Moscow,
// the online course, the marathon-fair, 24 webinars and master classes run by ten hubs, and the
// final conference with parallel tracks. Then every calendar feed is checked by our own rules
// and parsed by python3-icalendar, whose instants must equal the API's.

#include <map>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/api/api_test_env.h"
#include "services/scheduling/api/ics_check.h"

namespace etnik::scheduling::testing {
namespace {

namespace cpb = etnik::common::v1;

const char* const kHubs[] = {"media", "crafts", "migrants", "training", "youth",
                             "culture", "languages", "law", "volunteers", "tourism"};
const char* const kZones[] = {"Europe/Moscow", "Europe/Kaliningrad", "Asia/Vladivostok",
                              "Europe/Samara", "Asia/Yekaterinburg"};

class DemoProgrammeTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    std::vector<ExpertProfile> experts;
    for (int h = 0; h < 10; ++h) {
      for (int e = 0; e < 3; ++e) {
        ExpertProfile p = AlwaysFree(absl::StrCat("experts/", kHubs[h], "-", e), kZones[(h + e) % 5]);
        p.weekly.clear();  // Monday to Saturday 07:00-24:00 in their own zone
        for (absl::Weekday d : {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
                                absl::Weekday::thursday, absl::Weekday::friday, absl::Weekday::saturday}) {
          p.weekly.push_back({d, 7 * 60, 24 * 60});
        }
        experts.push_back(p);
      }
      HubInfo hub;
      hub.hub = absl::StrCat("hubs/", kHubs[h]);
      hub.programme = kProgramme;
      hub.title.ru = absl::StrCat("Хаб ", kHubs[h]);
      ASSERT_TRUE(scheduler_->ApplyHub(hub).ok());
    }
    SeedReadModels(experts);
  }

  std::string Expert(int hub, int n) { return absl::StrCat("experts/", kHubs[hub], "-", n); }

  void CreateVenue(const std::string& id, const std::string& title,
                   std::vector<std::pair<std::string, int>> rooms) {
    pb::CreateVenueRequest req;
    req.set_venue_id(id);
    req.mutable_venue()->mutable_title()->set_ru(title);
    req.mutable_venue()->set_city("Москва");
    req.mutable_venue()->set_address("ул. Тверская, 1");
    req.mutable_venue()->set_time_zone("Europe/Moscow");
    for (const auto& [room, seats] : rooms) {
      pb::Room* r = req.mutable_venue()->add_rooms();
      r->set_room_id(room);
      r->mutable_title()->set_ru(absl::StrCat("Зал ", room));
      r->set_capacity(seats);
    }
    pb::Venue out;
    grpc::Status s = stub_->CreateVenue(Ctx(OrganiserToken()).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  void CreateEvent(const std::string& token, const std::string& id, cpb::EventKind kind,
                   const std::string& stage, const std::string& title, const std::string& hub = "",
                   const std::string& venue = "", std::vector<pb::Track> tracks = {}) {
    pb::CreateEventRequest req;
    req.set_event_id(id);
    pb::Event* e = req.mutable_event();
    e->set_programme(kProgramme);
    e->set_stage(stage);
    e->set_kind(kind);
    e->mutable_title()->set_ru(title);
    e->set_hub(hub);
    e->set_venue(venue);
    e->set_time_zone("Europe/Moscow");
    e->set_open_registration(true);
    for (const pb::Track& t : tracks) *e->add_tracks() = t;
    pb::Event out;
    grpc::Status s = stub_->CreateEvent(Ctx(token).get(), req, &out);
    ASSERT_TRUE(s.ok()) << id << ": " << s.error_message();
  }

  // Books and remembers the session; a room (venues/...) or else an online link.
  void Book(const std::string& token, const std::string& event, absl::Time start,
            absl::Duration length, std::vector<std::string> hosts, const std::string& place = "",
            const std::string& title = "", const std::string& hub = "", const std::string& track = "") {
    pb::BookSessionRequest req;
    req.set_parent(absl::StrCat("events/", event));
    req.set_request_id(absl::StrCat("demo-", booked_.size()));
    pb::Session* s = req.mutable_session();
    SetTs(s->mutable_start_time(), start);
    SetTs(s->mutable_end_time(), start + length);
    s->set_time_zone("Europe/Moscow");
    for (const std::string& h : hosts) s->add_hosts(h);
    if (absl::StartsWith(place, "venues/")) {
      s->set_room(place);
    } else if (track.empty()) {
      s->mutable_online_room()->set_join_uri(absl::StrCat("https://meet.example/", event, "/", booked_.size()));
      s->mutable_online_room()->set_platform("VK Звонки");
    }
    s->mutable_title()->set_ru(title);
    s->set_hub(hub);
    s->set_track(track);
    pb::Session out;
    grpc::Status st = stub_->BookSession(Ctx(token).get(), req, &out);
    ASSERT_TRUE(st.ok()) << event << " at " << start << ": " << st.error_message();
    booked_.push_back(out);
  }

  std::vector<pb::Session> booked_;
};

TEST_F(DemoProgrammeTest, WholeCalendarBooksAndEveryFeedParses) {
  const std::string org = OrganiserToken();
  CreateVenue("hotel", "Гостиница «Измайлово»", {{"hall", 60}, {"room-a", 25}, {"room-b", 25}});
  CreateVenue("house", "Дом народов России", {{"culture", 80}, {"media", 40}, {"youth", 40}});

  // Stage 2: the two-day seminar in Moscow (plenary + two parallel workshops each day).
  CreateEvent(org, "seminar", cpb::EVENT_KIND_SEMINAR, kTraining, "Организационный семинар", "",
              "venues/hotel");
  for (int day : {20, 21}) {
    Book(org, "seminar", Msk(2021, 5, day, 10), absl::Hours(3), {Expert(0, 0), Expert(3, 0)},
         "venues/hotel/rooms/hall", "Пленарная сессия");
    Book(org, "seminar", Msk(2021, 5, day, 14), absl::Hours(3), {Expert(1, 0)},
         "venues/hotel/rooms/room-a", "Мастерская: ремёсла");
    Book(org, "seminar", Msk(2021, 5, day, 14), absl::Hours(3), {Expert(2, 0)},
         "venues/hotel/rooms/room-b", "Мастерская: работа с мигрантами");
  }
  // Stage 2: the online course, weekly.
  CreateEvent(org, "course", cpb::EVENT_KIND_COURSE, kTraining, "Онлайн-курс для хабов");
  for (int week = 0; week < 5; ++week) {
    Book(org, "course", Msk(2021, 4, 22, 17) + absl::Hours(24 * 7 * week), absl::Minutes(90),
         {Expert(3, 1)}, "", absl::StrCat("Занятие ", week + 1));
  }
  // Stage 2: the marathon-fair: one day of back-to-back 20-minute slots, each booked by a hub.
  CreateEvent(org, "fair", cpb::EVENT_KIND_MARATHON_FAIR, kTraining, "Марафон-Ярмарка ресурсов");
  for (int h = 0; h < 10; ++h) {
    Book(LeadToken(kHubs[h]), "fair", Msk(2021, 5, 27, 11) + absl::Minutes(20) * h,
         absl::Minutes(20), {Expert(h, 2)}, "", absl::StrCat("Ресурсы хаба ", kHubs[h]),
         absl::StrCat("hubs/", kHubs[h]));
  }
  // Stage 3: every hub runs a webinar and a master class; four hubs add a second webinar.
  for (int h = 0; h < 10; ++h) {
    const std::string lead = LeadToken(kHubs[h]);
    const std::string hub = absl::StrCat("hubs/", kHubs[h]);
    CreateEvent(lead, absl::StrCat(kHubs[h], "-webinars"), cpb::EVENT_KIND_WEBINAR, kPractice,
                absl::StrCat("Вебинары хаба ", kHubs[h]), hub);
    CreateEvent(lead, absl::StrCat(kHubs[h], "-mc"), cpb::EVENT_KIND_MASTER_CLASS, kPractice,
                absl::StrCat("Мастер-классы хаба ", kHubs[h]), hub);
    const absl::Time base = Msk(2021, 6, 7, 15) + absl::Hours(24 * 7 * (h % 8));
    Book(lead, absl::StrCat(kHubs[h], "-webinars"), base, absl::Hours(1), {Expert(h, 0)});
    Book(lead, absl::StrCat(kHubs[h], "-mc"), base + absl::Hours(24 * 2), absl::Minutes(90),
         {Expert(h, 1), Expert(h, 2)});
    if (h < 4) {
      Book(lead, absl::StrCat(kHubs[h], "-webinars"), base + absl::Hours(24 * 30), absl::Hours(1),
           {Expert(h, 0)});
    }
  }
  // Stage 4: the conference with three parallel tracks in the Дом народов.
  std::vector<pb::Track> tracks;
  for (const char* t : {"culture", "media", "youth"}) {
    pb::Track track;
    track.set_track_id(t);
    track.mutable_title()->set_ru(absl::StrCat("Секция ", t));
    track.set_room(absl::StrCat("venues/house/rooms/", t));
    tracks.push_back(track);
  }
  CreateEvent(org, "conference", cpb::EVENT_KIND_CONFERENCE, "programmes/etnik-2021/stages/final",
              "III Всероссийская конференция «Устойчивое развитие этнокультурного сектора»", "",
              "venues/house", tracks);
  int n = 0;
  for (const char* t : {"culture", "media", "youth"}) {
    for (int slot = 0; slot < 3; ++slot) {
      Book(org, "conference", Msk(2021, 11, 25, 10) + absl::Hours(2) * slot, absl::Minutes(90),
           {Expert(n % 10, slot)}, "", absl::StrCat("Доклад, секция ", t), "", t);
      ++n;
    }
  }
  ASSERT_EQ(booked_.size(), 6u + 5 + 10 + 24 + 9);
  for (const pb::Session& s : booked_) {
    if (s.name().rfind("events/conference/", 0) == 0) {
      EXPECT_EQ(s.room().rfind("venues/house/rooms/", 0), 0u) << "track rooms are used";
    }
  }

  // People register; the hubs' sessions take place and are marked held.
  for (int p = 0; p < 5; ++p) {
    pb::RegisterAttendeeRequest reg;
    reg.set_parent(booked_[21 + p].name());
    reg.mutable_attendee()->set_full_name(absl::StrCat("Участник ", p));
    reg.mutable_attendee()->set_email("p0@example.org");
    reg.mutable_attendee()->set_participant("programmes/etnik-2021/participants/p0");
    pb::Attendee out;
    ASSERT_TRUE(stub_->RegisterAttendee(Ctx(ParticipantToken("p0")).get(), reg, &out).ok());
  }
  clock_.Set(Msk(2021, 11, 10, 0));
  int held = 0;
  for (const pb::Session& s : booked_) {
    if (s.event_kind() != cpb::EVENT_KIND_WEBINAR && s.event_kind() != cpb::EVENT_KIND_MASTER_CLASS) continue;
    pb::MarkSessionHeldRequest req;
    req.set_name(s.name());
    pb::Session out;
    ASSERT_TRUE(stub_->MarkSessionHeld(Ctx(LeadToken(s.hub().substr(5))).get(), req, &out).ok());
    ++held;
  }
  EXPECT_EQ(held, 24);
  pb::GetProgrammeProgressRequest preq;
  preq.set_programme(kProgramme);
  pb::ProgrammeProgress progress;
  ASSERT_TRUE(stub_->GetProgrammeProgress(Ctx(org).get(), preq, &progress).ok());
  bool found = false;
  for (const cpb::TargetProgress& t : progress.targets()) {
    if (t.metric() == cpb::TARGET_METRIC_WEBINARS_AND_MASTER_CLASSES) {
      EXPECT_EQ(t.target(), 20);
      EXPECT_EQ(t.actual(), 24);
      found = true;
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(progress.hubs_size(), 10);

  // Every feed: the programme, each hub, an expert, a participant.
  std::vector<std::string> bodies;
  std::vector<int> expected;
  auto feed = [&](pb::GetCalendarFeedRequest req, const std::string& token, int sessions) {
    pb::CalendarFeed out;
    grpc::Status s = stub_->GetCalendarFeed(Ctx(token).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.content_type(), "text/calendar; charset=utf-8");
    EXPECT_EQ(CheckRequiredProperties(out.body()), sessions) << out.filename();
    bodies.push_back(out.body());
    expected.push_back(sessions);
  };
  pb::GetCalendarFeedRequest all;
  all.set_programme(kProgramme);
  feed(all, "", static_cast<int>(booked_.size()));
  for (int h = 0; h < 10; ++h) {
    pb::GetCalendarFeedRequest req;
    req.set_hub(absl::StrCat("hubs/", kHubs[h]));
    feed(req, "", h < 4 ? 4 : 3);  // fair slot, webinar(s), master class
  }
  pb::GetCalendarFeedRequest expert;
  expert.set_expert(Expert(3, 1));
  feed(expert, "", 5 + 1);  // the course and a master class
  pb::GetCalendarFeedRequest participant;
  participant.set_participant("programmes/etnik-2021/participants/p0");
  feed(participant, ParticipantToken("p0"), 5);
  // Nobody else reads a participant's calendar, and anonymous callers are refused.
  pb::CalendarFeed denied;
  EXPECT_EQ(stub_->GetCalendarFeed(Ctx().get(), participant, &denied).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  std::vector<std::map<std::string, ParsedEvent>> parsed = ParseWithPython(bodies);
  ASSERT_EQ(parsed.size(), bodies.size());
  for (size_t i = 0; i < parsed.size(); ++i) EXPECT_EQ(static_cast<int>(parsed[i].size()), expected[i]);
  // The independent parser reads every session of the programme feed at the API's instants.
  for (const pb::Session& s : booked_) {
    std::string uid = absl::StrCat(absl::StrReplaceAll(s.name(), {{"/", "."}}), "@etnik");
    ASSERT_TRUE(parsed[0].count(uid)) << uid;
    EXPECT_EQ(parsed[0][uid].start, FromTs(s.start_time())) << uid;
    EXPECT_EQ(parsed[0][uid].end, FromTs(s.end_time())) << uid;
  }
}

}  // namespace
}  // namespace etnik::scheduling::testing
