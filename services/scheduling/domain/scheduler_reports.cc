// Programme progress against its targets, and calendar feeds.

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/errors.h"
#include "services/scheduling/domain/scheduler.h"

namespace etnik::scheduling {
namespace {

// Most sessions one feed holds (the earliest ones); ListSessions pages through more.
constexpr int kMaxFeedSessions = 5000;

void Count(StateCounts& c, const SessionTally& t) {
  switch (t.state) {
    case SessionState::kScheduled: c.scheduled += t.sessions; break;
    case SessionState::kHeld: c.held += t.sessions; break;
    case SessionState::kCancelled: c.cancelled += t.sessions; break;
    default: break;
  }
  c.attendance += t.check_ins;
}

std::string LastSegment(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace

absl::StatusOr<ProgressReport> Scheduler::GetProgrammeProgress(const Actor& actor,
                                                               absl::string_view programme) {
  if (!actor.staff() && !actor.hub_lead) return Denied(actor, "read programme progress");
  if (!IsProgrammeName(programme)) {
    return InvalidArgumentError("invalid programme", {{"programme", "must be programmes/{programme}"}});
  }
  std::vector<SessionTally> tallies;
  std::vector<StageWindow> stages;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<SessionTally>> t = tx.TallySessions(programme);
    if (!t.ok()) return t.status();
    tallies = *std::move(t);
    absl::StatusOr<std::vector<StageWindow>> s = tx.ListStages(programme);
    if (!s.ok()) return s.status();
    stages = *std::move(s);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  ProgressReport report;
  report.programme = std::string(programme);
  report.compute_time = clock_.Now();
  std::map<int, StateCounts> kinds;
  std::map<std::string, StateCounts> hubs;
  for (const SessionTally& t : tallies) {
    Count(kinds[static_cast<int>(t.kind)], t);
    if (!t.hub.empty()) Count(hubs[t.hub], t);
    report.attendance += t.check_ins;
  }
  for (int k = 1; k <= kMaxEventKind; ++k) report.kinds.push_back({static_cast<EventKind>(k), kinds[k]});
  for (auto& [hub, counts] : hubs) report.hubs.push_back({hub, counts});
  for (const StageWindow& stage : stages) {
    if (stage.removed) continue;
    for (const StageTarget& target : stage.targets) {
      const auto metric = static_cast<TargetMetric>(target.metric);
      // Other metrics (participants, hubs, experts, survey) are counted by other services.
      if (metric != TargetMetric::kWebinarsAndMasterClasses && metric != TargetMetric::kSessions &&
          metric != TargetMetric::kAttendance) {
        continue;
      }
      int32_t actual = 0;
      for (const SessionTally& t : tallies) {
        if (t.stage != stage.stage) continue;
        const bool held = t.state == SessionState::kHeld;
        if (metric == TargetMetric::kAttendance) {
          actual += t.check_ins;
        } else if (held && (metric == TargetMetric::kSessions || t.kind == EventKind::kWebinar ||
                            t.kind == EventKind::kMasterClass)) {
          actual += t.sessions;
        }
      }
      report.targets.push_back({stage.stage, target.metric, target.value, actual});
    }
  }
  return report;
}

absl::StatusOr<CalendarFeed> Scheduler::GetCalendarFeed(const Actor& actor,
                                                        const FeedCommand& command) {
  SessionQuery query;
  std::string filename;
  switch (command.scope) {
    case FeedScope::kProgramme:
      if (!IsProgrammeName(command.value)) {
        return InvalidArgumentError("invalid feed", {{"programme", "must be programmes/{programme}"}});
      }
      query.programme = command.value;
      filename = absl::StrCat("programme-", LastSegment(command.value), ".ics");
      break;
    case FeedScope::kHub:
      if (!IsHubName(command.value)) return InvalidArgumentError("invalid feed", {{"hub", "must be hubs/{hub}"}});
      query.hub = command.value;
      filename = absl::StrCat("hub-", LastSegment(command.value), ".ics");
      break;
    case FeedScope::kExpert:
      if (!IsExpertName(command.value)) {
        return InvalidArgumentError("invalid feed", {{"expert", "must be experts/{expert}"}});
      }
      query.host = command.value;
      filename = absl::StrCat("expert-", LastSegment(command.value), ".ics");
      break;
    case FeedScope::kParticipant:
      if (!IsParticipantName(command.value)) {
        return InvalidArgumentError(
            "invalid feed", {{"participant", "must be programmes/{programme}/participants/{participant}"}});
      }
      if (actor.anonymous) return Denied(actor, "read a participant's calendar");
      query.participant = command.value;
      // Others' registrations stay private: non-staff see the ones they made.
      if (!actor.staff()) query.registered_by = actor.subject;
      filename = absl::StrCat("participant-", LastSegment(command.value), ".ics");
      break;
  }
  query.limit = kMaxFeedSessions;
  std::vector<CalendarEntry> entries;
  absl::Status status = store_.Run(TxKind::kRead, [&](SchedulingTx& tx) -> absl::Status {
    entries.clear();
    absl::StatusOr<std::vector<Session>> sessions = tx.ListSessions(query);
    if (!sessions.ok()) return sessions.status();
    std::map<std::string, Event> events;
    std::map<std::string, std::string> locations;
    for (Session& s : *sessions) {
      CalendarEntry entry;
      auto ev = events.find(s.event_id);
      if (ev == events.end()) {
        absl::StatusOr<std::optional<Event>> e = tx.GetEvent(s.event_id);
        if (!e.ok()) return e.status();
        ev = events.emplace(s.event_id, e->value_or(Event{})).first;
      }
      entry.event_title = ev->second.title;
      if (!s.room.empty()) {
        auto loc = locations.find(s.room);
        if (loc == locations.end()) {
          absl::StatusOr<SessionContext> context = LoadContext(tx, s, &ev->second);
          if (!context.ok()) return context.status();
          loc = locations.emplace(s.room, context->location).first;
        }
        entry.location = loc->second;
      }
      // Access codes are for registered attendees and hosts, never in a feed.
      s.online_room.access_code.clear();
      entry.session = std::move(s);
      entries.push_back(std::move(entry));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  CalendarOptions options;
  options.language = command.language == Language::kUnspecified ? Language::kRu : command.language;
  options.uid_domain = options_.uid_domain;
  options.name = absl::StrCat("etnik: ", command.value);
  absl::StatusOr<std::string> body = RenderCalendar(entries, options);
  if (!body.ok()) return body.status();
  CalendarFeed feed;
  feed.body = *std::move(body);
  feed.filename = filename;
  feed.etag = ContentEtag(feed.body);
  for (const CalendarEntry& e : entries) feed.update_time = std::max(feed.update_time, e.session.update_time);
  return feed;
}

}  // namespace etnik::scheduling
