// Linearizability-style check of booking: 64 concurrent clients book random overlapping ranges
// for 5 experts and 3 rooms. On PostgreSQL the clients are split over two independent Database
// instances (two service replicas on one database). A checker over the recorded history then
// proves that no two accepted bookings overlap for any expert (buffer included) or room, that
// every acknowledged booking is stored exactly as acknowledged, that nothing unacknowledged is
// stored, and that every refusal names a stored session that really is in the way. A second test
// registers many people at once for a session with few seats.

#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/store/store_test_env.h"

namespace etnik::scheduling::testing {
namespace {

constexpr int kClients = 64;
constexpr int kAttemptsPerClient = 6;
constexpr absl::Duration kBuffer = absl::Minutes(15);

struct Attempt {
  std::string session_id;
  std::vector<std::string> hosts;
  std::string room;
  absl::Time start, end;
  enum Outcome { kAccepted, kConflict, kFailed } outcome = kFailed;
  absl::Status status;
};

struct Replica {
  std::unique_ptr<db::Database> db;
  std::unique_ptr<store::SqlSchedulingStore> store;
  std::unique_ptr<Scheduler> scheduler;
};

class ConcurrentBookingTest : public SchedulingStoreTest {
 protected:
  SchedulerOptions Options() const override {
    SchedulerOptions o;
    o.policy.expert_buffer = kBuffer;
    return o;
  }
};

TEST_P(ConcurrentBookingTest, NoOverlapsAndEveryAcknowledgedBookingIsStored) {
  for (int e = 0; e < 5; ++e) {
    ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree(absl::StrCat("experts/e", e))).ok());
  }
  Venue venue;
  venue.title.ru = "Центр";
  venue.time_zone = "Europe/Moscow";
  for (int r = 0; r < 3; ++r) venue.rooms.push_back({absl::StrCat("r", r), {"Зал", ""}, 30});
  ASSERT_TRUE(scheduler_->CreateVenue(Organiser(), venue, "centre", "").ok());
  Event event;
  event.programme = kProgramme;
  event.stage = kPractice;
  event.kind = EventKind::kMasterClass;
  event.title.ru = "Мастер-классы";
  event.hub = "hubs/media";
  event.venue = "venues/centre";
  event.time_zone = "Europe/Moscow";
  ASSERT_TRUE(scheduler_->CreateEvent(Organiser(), event, "mc", "").ok());

  // Replica 0 is the fixture's; on PostgreSQL a second, independent one serves half the clients.
  std::vector<Scheduler*> replicas = {scheduler_.get()};
  Replica second;
  if (GetParam() == db::Engine::kPostgres) {
    second.db = database_.Open(clock_, 16);
    ASSERT_NE(second.db, nullptr);
    second.store = std::make_unique<store::SqlSchedulingStore>(*second.db, clock_);
    second.scheduler = std::make_unique<Scheduler>(*second.store, clock_, Options());
    replicas.push_back(second.scheduler.get());
  }

  const absl::Time day = Msk(2021, 6, 10, 9);
  std::vector<std::vector<Attempt>> history(kClients);
  std::latch start(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::mt19937 rng(1000 + c);
      Actor lead = HubLead("media", absl::StrCat("lead-", c));
      Scheduler& scheduler = *replicas[c % replicas.size()];
      start.arrive_and_wait();
      for (int i = 0; i < kAttemptsPerClient; ++i) {
        Attempt a;
        a.session_id = absl::StrCat("c", c, "-", i);
        const int first_host = rng() % 5;
        a.hosts = {absl::StrCat("experts/e", first_host)};
        if (rng() % 3 == 0) a.hosts.push_back(absl::StrCat("experts/e", (first_host + 1 + rng() % 4) % 5));
        if (rng() % 2 == 0) a.room = absl::StrCat("venues/centre/rooms/r", rng() % 3);
        a.start = day + absl::Minutes(15) * static_cast<int>(rng() % 40);  // 09:00-18:45
        a.end = a.start + absl::Minutes(30) * static_cast<int>(1 + rng() % 3);
        BookSessionCommand cmd;
        cmd.event_id = "mc";
        cmd.session_id = a.session_id;
        cmd.request_id = a.session_id;
        cmd.session.start = a.start;
        cmd.session.end = a.end;
        cmd.session.time_zone = "Europe/Moscow";
        cmd.session.hosts = a.hosts;
        if (a.room.empty()) {
          cmd.session.online_room.join_uri = "https://meet.example/x";
        } else {
          cmd.session.room = a.room;
        }
        absl::StatusOr<Session> booked = scheduler.BookSession(lead, cmd);
        a.status = booked.status();
        std::optional<ErrorInfo> info = GetErrorInfo(booked.status());
        if (booked.ok()) {
          a.outcome = Attempt::kAccepted;
        } else if (info.has_value() && (info->reason == kReasonExpertDoubleBooked ||
                                        info->reason == kReasonRoomDoubleBooked)) {
          a.outcome = Attempt::kConflict;
        } else {
          a.outcome = Attempt::kFailed;
        }
        history[c].push_back(std::move(a));
      }
    });
  }
  for (std::thread& t : clients) t.join();

  // ---- The checker ----
  std::vector<const Attempt*> accepted, conflicts;
  for (const auto& client : history) {
    for (const Attempt& a : client) {
      if (a.outcome == Attempt::kAccepted) accepted.push_back(&a);
      if (a.outcome == Attempt::kConflict) conflicts.push_back(&a);
      // Only definite failures are acceptable besides conflicts (retries exhausted = rolled back).
      if (a.outcome == Attempt::kFailed) {
        EXPECT_EQ(a.status.code(), absl::StatusCode::kAborted) << a.status;
      }
    }
  }
  ASSERT_GT(accepted.size(), 10u);
  ASSERT_GT(conflicts.size(), 50u) << "the workload must actually contend";

  // 1. No two accepted bookings overlap on a shared expert (with the buffer) or room.
  for (size_t i = 0; i < accepted.size(); ++i) {
    for (size_t j = i + 1; j < accepted.size(); ++j) {
      const Attempt& a = *accepted[i];
      const Attempt& b = *accepted[j];
      for (const std::string& h : a.hosts) {
        if (std::find(b.hosts.begin(), b.hosts.end(), h) == b.hosts.end()) continue;
        EXPECT_FALSE(a.start < b.end + kBuffer && b.start < a.end + kBuffer)
            << h << " double-booked by " << a.session_id << " and " << b.session_id;
      }
      if (!a.room.empty() && a.room == b.room) {
        EXPECT_FALSE(a.start < b.end && b.start < a.end)
            << a.room << " double-booked by " << a.session_id << " and " << b.session_id;
      }
    }
  }

  // 2. The store holds exactly the acknowledged bookings, as acknowledged.
  ListSessionsCommand all;
  all.query.event_id = "mc";
  all.page_size = 1000;
  absl::StatusOr<Page<Session>> stored = scheduler_->ListSessions(all);
  ASSERT_TRUE(stored.ok()) << stored.status();
  std::map<std::string, Session> by_id;
  for (const Session& s : stored->items) by_id[s.id] = s;
  EXPECT_EQ(by_id.size(), accepted.size());
  for (const Attempt* a : accepted) {
    auto it = by_id.find(a->session_id);
    ASSERT_NE(it, by_id.end()) << "acknowledged but lost: " << a->session_id;
    EXPECT_EQ(it->second.start, a->start);
    EXPECT_EQ(it->second.end, a->end);
    EXPECT_EQ(it->second.hosts, a->hosts);
    EXPECT_EQ(it->second.room, a->room);
    EXPECT_EQ(it->second.state, SessionState::kScheduled);
  }

  // 3. Every refusal names a stored session that overlaps on the named resource.
  for (const Attempt* a : conflicts) {
    std::map<std::string, std::string> meta = GetErrorInfo(a->status)->metadata;
    std::optional<SessionRef> ref = ParseSessionName(meta["conflictingSession"]);
    ASSERT_TRUE(ref.has_value()) << a->status;
    auto it = by_id.find(ref->session_id);
    ASSERT_NE(it, by_id.end()) << "refused because of an unstored session: " << a->status;
    const Session& holder = it->second;
    const std::string& resource = meta["resource"];
    const bool room = resource == holder.room && resource == a->room;
    const bool expert = std::find(holder.hosts.begin(), holder.hosts.end(), resource) != holder.hosts.end() &&
                        std::find(a->hosts.begin(), a->hosts.end(), resource) != a->hosts.end();
    ASSERT_TRUE(room || expert) << a->status;
    const absl::Duration pad = room ? absl::ZeroDuration() : kBuffer;
    EXPECT_TRUE(a->start < holder.end + pad && holder.start < a->end + pad) << a->status;
  }

  // 4. The reservation table itself holds no overlapping pair of one resource.
  long long overlapping_pairs = -1;
  ASSERT_TRUE(db_->InTransaction(db::TxMode::kRead, [&](soci::session& s) {
                   s << "SELECT COUNT(*) FROM sched_reservations a JOIN sched_reservations b"
                        " ON a.resource = b.resource AND a.id < b.id"
                        " AND a.start_us < b.end_us AND b.start_us < a.end_us",
                       soci::into(overlapping_pairs);
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(overlapping_pairs, 0);
  std::cout << "accepted " << accepted.size() << ", refused as conflicts " << conflicts.size()
            << " of " << kClients * kAttemptsPerClient << " attempts on " << replicas.size()
            << " replica(s)\n";
}

ETNIK_SCHEDULING_ON_BOTH_ENGINES(ConcurrentBookingTest);

// Many people register at once for one session with few seats: each gets a seat or a place in
// line, the seats are never overrun and the counters match the list. On PostgreSQL half of them
// go through a second replica, so their transactions really race on the session.
class ConcurrentRegistrationTest : public SchedulingStoreTest {};

TEST_P(ConcurrentRegistrationTest, EveryoneGetsASeatOrAPlaceInLine) {
  constexpr int kPeople = 48;
  constexpr int kSeats = 2;  // most wait in line: the path that raced
  ASSERT_TRUE(scheduler_->ApplyExpert(AlwaysFree("experts/anna")).ok());
  MakeWebinarEvent("w");
  BookSessionCommand book;
  book.event_id = "w";
  book.session = Online(Msk(2021, 6, 2, 15), absl::Hours(1), {"experts/anna"});
  book.session.capacity = kSeats;
  book.session_id = "s";
  ASSERT_TRUE(scheduler_->BookSession(HubLead("media"), book).ok());

  std::vector<Scheduler*> replicas = {scheduler_.get()};
  Replica second;
  if (GetParam() == db::Engine::kPostgres) {
    second.db = database_.Open(clock_, 16);
    ASSERT_NE(second.db, nullptr);
    second.store = std::make_unique<store::SqlSchedulingStore>(*second.db, clock_);
    second.scheduler = std::make_unique<Scheduler>(*second.store, clock_, Options());
    replicas.push_back(second.scheduler.get());
  }
  std::vector<absl::StatusOr<Attendee>> results(kPeople, absl::UnknownError("not run"));
  std::latch start(kPeople);
  std::vector<std::thread> people;
  for (int i = 0; i < kPeople; ++i) {
    people.emplace_back([&, i] {
      RegisterCommand c;
      c.ref = {"w", "s"};
      c.attendee.full_name = absl::StrCat("Участник ", i);
      c.attendee.email = absl::StrCat("p", i, "@example.org");
      c.request_id = absl::StrCat("register-", i);
      start.arrive_and_wait();
      results[i] = replicas[i % replicas.size()]->RegisterAttendee(Organiser(), c);
    });
  }
  for (std::thread& t : people) t.join();

  int seated = 0, waiting = 0;
  std::set<int64_t> order;
  for (const absl::StatusOr<Attendee>& r : results) {
    // A registration that lost every retry of its transaction is ABORTED and stored nothing; any
    // other failure (ALREADY_EXISTS for a new e-mail) is a wrong answer.
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted) << r.status();
      continue;
    }
    (r->state == AttendeeState::kRegistered ? seated : waiting)++;
    EXPECT_TRUE(order.insert(r->seq).second) << "two registrations share place " << r->seq;
  }
  EXPECT_GT(seated + waiting, kPeople / 2) << "most registrations must get through";
  EXPECT_EQ(seated, std::min(kSeats, seated + waiting));
  absl::StatusOr<Session> session = scheduler_->GetSession({"w", "s"});
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->registered_count, seated);
  EXPECT_EQ(session->waitlisted_count, waiting);
}

ETNIK_SCHEDULING_ON_BOTH_ENGINES(ConcurrentRegistrationTest);

}  // namespace
}  // namespace etnik::scheduling::testing
