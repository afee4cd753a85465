#include "common/outbox/stream_consumer.h"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "common/log/log.h"
#include "common/outbox/processed_events.h"
#include "common/status/errors.h"
#include "prometheus/counter.h"

namespace etnik::outbox {
namespace {

constexpr int kDeleteChunk = 1000;
// Bounds the memory kept for dead-letter reasons if entries keep failing.
constexpr size_t kMaxRememberedErrors = 10000;
// Own pending entries looked at per claimed range (see DeliveryCounts).
constexpr int kPendingScan = 10000;

// The database itself is unreachable: the entry is not at fault, so the consumer backs off
// rather than counting deliveries towards the dead-letter stream.
bool DatabaseDown(const absl::Status& status) {
  if (db::IsConnectionLost(status)) return true;
  if (status.code() != absl::StatusCode::kUnavailable) return false;
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() && (info->reason == db::kReasonDatabaseUnavailable ||
                              info->reason == db::kReasonPoolExhausted);
}

// Redis error replies arrive as INTERNAL carrying Redis' own message, which starts with the
// error code ("Redis: NOGROUP No such key ...").
bool IsRedisError(const absl::Status& status, absl::string_view code) {
  return status.code() == absl::StatusCode::kInternal &&
         absl::StrContains(status.message(), absl::StrCat(code, " "));
}

int64_t Millis(absl::Duration d) { return std::max<int64_t>(1, absl::ToInt64Milliseconds(d)); }

}  // namespace

std::string DefaultConsumerName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(host[0] != '\0' ? host : "host", "-", getpid());
}

struct StreamConsumer::Metrics {
  prometheus::Counter* handled;
  prometheus::Counter* duplicate;
  prometheus::Counter* error;
  prometheus::Counter* redeliveries;
  prometheus::Counter* dead_letters;
};

StreamConsumer::StreamConsumer(db::Database& db, redis::RedisPool& redis, const Clock& clock,
                               prometheus::Registry& registry, StreamConsumerOptions options,
                               EventHandler handler)
    : db_(db), redis_(redis), clock_(clock), options_(std::move(options)),
      handler_(std::move(handler)), dead_stream_(options_.stream + options_.dead_letter_suffix),
      metrics_(std::make_unique<Metrics>()) {
  // A blocking read longer than the pool's command timeout would fail as a timeout.
  const absl::Duration limit = redis_.options().command_timeout;
  if (options_.block >= limit) options_.block = limit / 2;

  const prometheus::Labels labels = {{"stream", options_.stream}, {"group", options_.group}};
  auto& consumed = prometheus::BuildCounter()
                       .Name("etnik_events_consumed_total")
                       .Help("Stream entries processed by consumers, by result.")
                       .Register(registry);
  auto with = [&](const char* result) {
    prometheus::Labels l = labels;
    l["result"] = result;
    return &consumed.Add(l);
  };
  metrics_->handled = with("handled");
  metrics_->duplicate = with("duplicate");
  metrics_->error = with("error");
  metrics_->redeliveries = &prometheus::BuildCounter()
                                .Name("etnik_events_redeliveries_total")
                                .Help("Pending stream entries claimed from an idle consumer "
                                      "(or retried after an error) and delivered again.")
                                .Register(registry)
                                .Add(labels);
  metrics_->dead_letters = &prometheus::BuildCounter()
                                .Name("etnik_events_dead_letters_total")
                                .Help("Stream entries moved to the dead-letter stream.")
                                .Register(registry)
                                .Add(labels);
}

StreamConsumer::~StreamConsumer() { Stop(); }

absl::Status StreamConsumer::ValidateOptions() const {
  if (options_.stream.empty() || options_.group.empty() || options_.consumer.empty()) {
    return absl::InvalidArgumentError("stream, group and consumer must be set");
  }
  if (options_.dead_letter_suffix.empty()) {
    return absl::InvalidArgumentError("dead_letter_suffix must not be empty");
  }
  if (!handler_) return absl::InvalidArgumentError("no handler");
  if (options_.batch_size < 1 || options_.max_deliveries < 1) {
    return absl::InvalidArgumentError("batch_size and max_deliveries must be positive");
  }
  if (options_.block < absl::Milliseconds(1) || options_.claim_idle < absl::Milliseconds(1) ||
      options_.claim_interval <= absl::ZeroDuration() ||
      options_.initial_backoff <= absl::ZeroDuration() ||
      options_.max_backoff < options_.initial_backoff ||
      options_.processed_retention <= absl::ZeroDuration() ||
      options_.cleanup_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("durations must be positive (block and claim_idle at least 1 ms)");
  }
  return absl::OkStatus();
}

absl::Status StreamConsumer::Start() {
  absl::Status valid = ValidateOptions();
  if (!valid.ok()) return valid;
  if (started_) return absl::FailedPreconditionError("consumer already started");
  started_ = true;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void StreamConsumer::Stop() {
  stopping_.store(true, std::memory_order_release);
  {
    absl::MutexLock lock(&wait_mu_);
    stop_wake_ = true;
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void StreamConsumer::Wait(absl::Duration d) {
  absl::MutexLock lock(&wait_mu_);
  wait_mu_.AwaitWithTimeout(absl::Condition(&stop_wake_), d);
}

void StreamConsumer::Run() {
  bool group_ready = false;
  absl::Duration backoff = absl::ZeroDuration();
  // Scheduling uses the real time the thread sleeps in, not the injected clock.
  absl::Time next_claim = absl::Now();
  absl::Time next_cleanup = absl::Now();
  while (!StopRequested()) {
    absl::Status status;
    if (!group_ready) {
      status = EnsureGroup();
      group_ready = status.ok();
    }
    if (status.ok() && absl::Now() >= next_claim) {
      status = ClaimOnce().status();
      bool more;
      {
        absl::MutexLock lock(&work_mu_);
        more = claim_cursor_ != "0-0";
      }
      next_claim = more ? absl::Now() : absl::Now() + options_.claim_interval;
    }
    if (status.ok()) status = ReadOnce().status();
    if (status.ok() && absl::Now() >= next_cleanup) {
      absl::StatusOr<int> deleted = DeleteExpired();
      if (!deleted.ok()) {
        log::Warning("processed_events clean-up failed",
                     {{"group", options_.group}, {"error", deleted.status().ToString()}});
      }
      next_cleanup = absl::Now() + options_.cleanup_interval;
    }
    if (status.ok()) {
      if (backoff != absl::ZeroDuration()) {
        log::Info("stream consumer running again",
                  {{"stream", options_.stream}, {"group", options_.group}});
      }
      backoff = absl::ZeroDuration();
      continue;
    }
    if (backoff == absl::ZeroDuration()) {
      log::Warning("stream consumer cannot consume; backing off",
                   {{"stream", options_.stream}, {"group", options_.group},
                    {"error", status.ToString()}});
    }
    backoff = std::min(backoff == absl::ZeroDuration() ? options_.initial_backoff : backoff * 2,
                       options_.max_backoff);
    Wait(backoff);
  }
}

absl::Status StreamConsumer::EnsureGroup() {
  absl::MutexLock lock(&work_mu_);
  return CreateGroup();
}

absl::Status StreamConsumer::CreateGroup() {
  absl::StatusOr<redis::Reply> reply = redis_.Command("XGROUP", "CREATE", options_.stream,
                                                      options_.group, options_.start_id, "MKSTREAM");
  if (!reply.ok() && !IsRedisError(reply.status(), "BUSYGROUP")) {
    return reply.status();
  }
  return absl::OkStatus();
}

absl::Status StreamConsumer::RecoverGroup(const absl::Status& status) {
  if (!IsRedisError(status, "NOGROUP")) return status;
  log::Warning("consumer group missing in Redis; creating it again",
               {{"stream", options_.stream}, {"group", options_.group}});
  claim_cursor_ = "0-0";
  return CreateGroup();
}

absl::StatusOr<int> StreamConsumer::ReadOnce() {
  absl::MutexLock lock(&work_mu_);
  absl::StatusOr<redis::Reply> reply =
      redis_.Command("XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                     options_.batch_size, "BLOCK", Millis(options_.block), "STREAMS",
                     options_.stream, ">");
  if (!reply.ok()) {
    absl::Status recovered = RecoverGroup(reply.status());
    if (!recovered.ok()) return recovered;
    return 0;
  }
  if (reply->is_nil()) return 0;  // nothing new within `block`
  // [[stream, [[id, [field, value, ...]], ...]]]
  if (!reply->is_array() || reply->elements.size() != 1 || !reply->elements[0].is_array() ||
      reply->elements[0].elements.size() != 2) {
    return absl::InternalError(absl::StrCat("XREADGROUP: unexpected reply ", redis::DebugString(*reply)));
  }
  absl::StatusOr<std::vector<StreamEntry>> entries = ParseEntries(reply->elements[0].elements[1]);
  if (!entries.ok()) return entries.status();
  absl::Status status = HandleEntries(*entries, nullptr);
  if (!status.ok()) return status;
  return static_cast<int>(entries->size());
}

absl::StatusOr<int> StreamConsumer::ClaimOnce() {
  absl::MutexLock lock(&work_mu_);
  // Claiming while the database is down would only run up delivery counts towards dead letters.
  absl::Status db_up = db_.Ping();
  if (!db_up.ok()) return db_up;
  absl::StatusOr<redis::Reply> reply =
      redis_.Command("XAUTOCLAIM", options_.stream, options_.group, options_.consumer,
                     Millis(options_.claim_idle), claim_cursor_, "COUNT", options_.batch_size);
  if (!reply.ok()) {
    absl::Status recovered = RecoverGroup(reply.status());
    if (!recovered.ok()) return recovered;
    return 0;
  }
  // [next cursor, [[id, fields], ...], (Redis 7) [deleted ids]]
  if (!reply->is_array() || reply->elements.size() < 2 || !reply->elements[0].is_string()) {
    return absl::InternalError(absl::StrCat("XAUTOCLAIM: unexpected reply ", redis::DebugString(*reply)));
  }
  claim_cursor_ = reply->elements[0].str;
  absl::StatusOr<std::vector<StreamEntry>> entries = ParseEntries(reply->elements[1]);
  if (!entries.ok()) return entries.status();
  int taken = static_cast<int>(entries->size());
  // Entries trimmed away while pending: Redis 7 already dropped them from the group; record
  // them so the loss is visible.
  if (reply->elements.size() >= 3 && reply->elements[2].is_array()) {
    for (const redis::Reply& id : reply->elements[2].elements) {
      StreamEntry gone;
      gone.id = id.str;
      gone.deleted = true;
      absl::Status status = DeadLetter(gone, 0, "entry was trimmed from the stream before it was acknowledged");
      if (!status.ok()) return status;
      ++taken;
    }
  }
  if (entries->empty()) return taken;
  absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> counts = DeliveryCounts(*entries);
  if (!counts.ok()) return counts.status();
  absl::Status status = HandleEntries(*entries, &*counts);
  if (!status.ok()) return status;
  return taken;
}

absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> StreamConsumer::DeliveryCounts(
    const std::vector<StreamEntry>& entries) {
  // The claimed entries are now ours and lie between the first and the last claimed id.
  absl::StatusOr<redis::Reply> reply =
      redis_.Command("XPENDING", options_.stream, options_.group, entries.front().id,
                     entries.back().id, kPendingScan, options_.consumer);
  if (!reply.ok()) return reply.status();
  absl::flat_hash_map<std::string, int64_t> counts;
  if (!reply->is_array()) return counts;
  for (const redis::Reply& row : reply->elements) {
    // [id, consumer, idle ms, deliveries]
    if (row.is_array() && row.elements.size() == 4 && row.elements[3].is_integer()) {
      counts[row.elements[0].str] = row.elements[3].integer;
    }
  }
  return counts;
}

absl::Status StreamConsumer::HandleEntries(
    const std::vector<StreamEntry>& entries,
    const absl::flat_hash_map<std::string, int64_t>* deliveries) {
  for (const StreamEntry& entry : entries) {
    if (StopRequested()) break;  // the rest stay pending, to be claimed
    int64_t count = 1;
    if (deliveries != nullptr) {
      auto it = deliveries->find(entry.id);
      count = it != deliveries->end() ? it->second : 2;  // claimed, so delivered before
    }
    absl::StatusOr<StreamEvent> event = ToStreamEvent(options_.stream, entry);
    if (!event.ok()) {
      // Never handleable, however often it is delivered.
      absl::Status status = DeadLetter(entry, count, std::string(event.status().message()));
      if (!status.ok()) return status;
      continue;
    }
    event->deliveries = count;
    if (count > options_.max_deliveries) {
      auto it = last_errors_.find(entry.id);
      std::string reason = absl::StrCat("delivered ", count, " times without success");
      if (it != last_errors_.end()) absl::StrAppend(&reason, "; last error: ", it->second);
      absl::Status status = DeadLetter(entry, count, reason);
      if (!status.ok()) return status;
      continue;
    }
    if (deliveries != nullptr) metrics_->redeliveries->Increment();
    absl::Status infrastructure;
    if (Handle(*event, infrastructure) == Outcome::kError) {
      if (!infrastructure.ok()) return infrastructure;
      continue;  // stays pending; claimed again after claim_idle
    }
    absl::Status acked = Ack(entry.id);
    if (!acked.ok()) return acked;  // claimed and recognised as a duplicate later
  }
  return absl::OkStatus();
}

StreamConsumer::Outcome StreamConsumer::Handle(const StreamEvent& event,
                                               absl::Status& infrastructure) {
  bool duplicate = false;
  absl::Status status = db_.InTransaction(options_.tx_mode, [&](soci::session& s) -> absl::Status {
    duplicate = false;
    absl::StatusOr<bool> fresh = MarkProcessed(s, options_.group, event.event_id, clock_.Now());
    if (!fresh.ok()) return fresh.status();
    if (!*fresh) {
      duplicate = true;
      return absl::OkStatus();
    }
    return handler_(s, event);
  });
  if (!status.ok()) {
    metrics_->error->Increment();
    if (DatabaseDown(status)) {
      infrastructure = status;
    } else {
      if (last_errors_.size() >= kMaxRememberedErrors) last_errors_.clear();
      last_errors_[event.entry_id] = status.ToString();
      log::Warning("event handler failed; the entry stays pending",
                   {{"stream", event.stream}, {"group", options_.group},
                    {"entry_id", event.entry_id}, {"event_id", event.event_id},
                    {"deliveries", absl::StrCat(event.deliveries)}, {"error", status.ToString()}});
    }
    return Outcome::kError;
  }
  last_errors_.erase(event.entry_id);
  (duplicate ? metrics_->duplicate : metrics_->handled)->Increment();
  return duplicate ? Outcome::kDuplicate : Outcome::kHandled;
}

absl::Status StreamConsumer::Ack(const std::string& entry_id) {
  return redis_.Command("XACK", options_.stream, options_.group, entry_id).status();
}

absl::Status StreamConsumer::DeadLetter(const StreamEntry& entry, int64_t deliveries,
                                        const std::string& reason) {
  std::vector<redis::Arg> args = {"XADD", dead_stream_, "*"};
  for (const auto& [field, value] : entry.fields) {
    if (field == kFieldEventId || field == kFieldType || field == kFieldPayload) {
      args.insert(args.end(), {redis::Arg(field), redis::Arg(value)});
    }
  }
  const std::string count = absl::StrCat(deliveries);
  args.insert(args.end(), {redis::Arg(kFieldReason), redis::Arg(reason),
                           redis::Arg(kFieldSourceEntryId), redis::Arg(entry.id),
                           redis::Arg(kFieldGroup), redis::Arg(options_.group),
                           redis::Arg(kFieldConsumer), redis::Arg(options_.consumer),
                           redis::Arg(kFieldDeliveries), redis::Arg(count)});
  absl::StatusOr<redis::Reply> added = redis_.CommandArgv(absl::MakeConstSpan(args));
  if (!added.ok()) return added.status();
  absl::Status acked = Ack(entry.id);
  if (!acked.ok()) return acked;  // a second dead letter later is harmless
  metrics_->dead_letters->Increment();
  last_errors_.erase(entry.id);
  const std::string* event_id = entry.Field(kFieldEventId);
  log::Error("stream entry moved to the dead-letter stream",
             {{"stream", options_.stream}, {"dead_letter_stream", dead_stream_},
              {"group", options_.group}, {"entry_id", entry.id},
              {"event_id", event_id != nullptr ? *event_id : ""}, {"reason", reason}});
  return absl::OkStatus();
}

absl::StatusOr<int> StreamConsumer::DeleteExpired() {
  absl::MutexLock lock(&work_mu_);
  const absl::Time cutoff = clock_.Now() - options_.processed_retention;
  int total = 0;
  for (;;) {
    int deleted = 0;
    absl::Status status =
        db_.InTransaction(db::TxMode::kWriteReadCommitted, [&](soci::session& s) {
          absl::StatusOr<int> n = DeleteProcessedBefore(s, options_.group, cutoff, kDeleteChunk);
          if (!n.ok()) return n.status();
          deleted = *n;
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    total += deleted;
    if (deleted < kDeleteChunk) return total;
  }
}

}  // namespace etnik::outbox
