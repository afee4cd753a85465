#include "services/notifications/store/deliveries.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/db/time_micros.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/notifications/store/sql.h"

namespace etnik::notifications::store {
namespace {

using db::MicrosToTime;
using db::TimeToMicros;

constexpr char kColumns[] =
    "id, event_id, event_type, recipient, recipient_name, address, subject, body, unsubscribe_url,"
    " attachment_ics, session, last_error, idempotency_key, lease_owner, channel, state, attempts,"
    " due_us, next_attempt_us, lease_until_us, send_us, create_us, update_us";

// The columns of one row as bound targets.
struct RowTargets {
  DeliveryRow row;
  int channel = 0, state = 0, attempts = 0;
  long long due = 0, next = 0, lease = 0, send = 0, create = 0, update = 0;

  void Into(soci::statement& st) {
    for (std::string* s : {&row.id, &row.event_id, &row.event_type, &row.recipient, &row.recipient_name,
                           &row.address, &row.subject, &row.body, &row.unsubscribe_url, &row.attachment_ics,
                           &row.session, &row.last_error, &row.idempotency_key, &row.lease_owner}) {
      st.exchange(soci::into(*s));
    }
    for (int* i : {&channel, &state, &attempts}) st.exchange(soci::into(*i));
    for (long long* l : {&due, &next, &lease, &send, &create, &update}) st.exchange(soci::into(*l));
  }
  DeliveryRow Take() const {
    DeliveryRow r = row;
    r.channel = channel;
    r.state = state;
    r.attempts = attempts;
    r.due_time = MicrosToTime(due);
    r.next_attempt_time = MicrosToTime(next);
    r.lease_until = MicrosToTime(lease);
    r.send_time = MicrosToTime(send);
    r.create_time = MicrosToTime(create);
    r.update_time = MicrosToTime(update);
    return r;
  }
};

std::vector<DeliveryRow> FetchRows(soci::session& s, Sql& q) {
  std::vector<DeliveryRow> out;
  RowTargets t;
  q.Fetch(s, [&](soci::statement& st) { t.Into(st); }, [&] { out.push_back(t.Take()); });
  return out;
}

absl::StatusOr<std::optional<DeliveryRow>> FindById(soci::session& s, const std::string& id) {
  Sql q;
  q << "SELECT " << kColumns << " FROM deliveries WHERE id = ";
  q.Bind(id);
  std::vector<DeliveryRow> rows = FetchRows(s, q);
  if (rows.empty()) return std::optional<DeliveryRow>();
  return std::optional<DeliveryRow>(rows.front());
}

absl::Status NotFound(const std::string& id) {
  return ErrorWithInfo(absl::StatusCode::kNotFound, absl::StrCat("no delivery ", id), "DELIVERY_NOT_FOUND",
                       {{"delivery", id}});
}

}  // namespace

std::string IdempotencyKey(const std::string& event_id, const std::string& recipient, int channel) {
  return absl::StrCat(event_id, "|", recipient, "|", channel);
}

absl::Duration Backoff(const RetryPolicy& policy, int attempts, double unit_random) {
  absl::Duration d = policy.initial_backoff;
  for (int i = 1; i < attempts && d < policy.max_backoff; ++i) d *= 2;
  d = std::min(d, policy.max_backoff);
  // Jitter spreads retries of many deliveries that failed together (an SMTP outage).
  const double factor = 1.0 + policy.jitter * (2.0 * std::clamp(unit_random, 0.0, 1.0) - 1.0);
  return d * factor;
}

absl::StatusOr<bool> InsertDelivery(soci::session& s, DeliveryRow row, absl::Time now) {
  if (row.idempotency_key.empty()) row.idempotency_key = IdempotencyKey(row.event_id, row.recipient, row.channel);
  if (row.id.empty()) row.id = NewId();
  Sql q;
  q << "INSERT INTO deliveries (" << kColumns << ") VALUES (";
  for (const std::string* v : {&row.id, &row.event_id, &row.event_type, &row.recipient, &row.recipient_name,
                               &row.address, &row.subject, &row.body, &row.unsubscribe_url, &row.attachment_ics,
                               &row.session, &row.last_error, &row.idempotency_key}) {
    q.Bind(*v) << ", ";
  }
  q.Bind(std::string()) << ", ";
  q.Bind(row.channel) << ", ";
  q.Bind(row.state == 0 ? kPending : row.state) << ", ";
  q.Bind(0) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(row.due_time))) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(row.due_time))) << ", 0, 0, ";
  q.Bind(static_cast<long long>(TimeToMicros(now))) << ", ";
  q.Bind(static_cast<long long>(TimeToMicros(now))) << ") ON CONFLICT (idempotency_key) DO NOTHING";
  return q.Exec(s) == 1;
}

absl::StatusOr<int> CancelPending(soci::session& s, const std::string& session, const std::string& event_type,
                                  const std::string& recipient, absl::Time now) {
  Sql q;
  q << "UPDATE deliveries SET state = " << absl::StrCat(kCancelled) << ", lease_until_us = 0, update_us = ";
  q.Bind(static_cast<long long>(TimeToMicros(now))) << " WHERE session = ";
  q.Bind(session) << " AND event_type = ";
  q.Bind(event_type) << absl::StrCat(" AND state IN (", kPending, ", ", kFailed, ")");
  if (!recipient.empty()) {
    q << " AND recipient = ";
    q.Bind(recipient);
  }
  return static_cast<int>(q.Exec(s));
}

absl::StatusOr<std::vector<DeliveryRow>> DeliveryQueue::Claim(absl::Time now, int limit, absl::Duration lease,
                                                              const std::string& owner) {
  std::vector<DeliveryRow> claimed;
  const long long now_us = TimeToMicros(now);
  const long long until_us = TimeToMicros(now + lease);
  // READ COMMITTED on PostgreSQL: the conditional UPDATE re-checks the lease after a racing
  // claimer commits, so each row goes to one claimer and nobody waits on serialisation retries.
  absl::Status st = db_.InTransaction(db::TxMode::kWriteReadCommitted, [&](soci::session& s) -> absl::Status {
    claimed.clear();
    Sql pick;
    pick << "SELECT id FROM deliveries WHERE state IN (" << absl::StrCat(kPending, ", ", kFailed)
         << ") AND next_attempt_us <= ";
    pick.Bind(now_us) << " AND lease_until_us <= ";
    pick.Bind(now_us) << " ORDER BY next_attempt_us, id LIMIT ";
    pick.Bind(limit);
    std::vector<std::string> ids;
    std::string id;
    pick.Fetch(s, [&](soci::statement& t) { t.exchange(soci::into(id)); }, [&] { ids.push_back(id); });
    for (const std::string& candidate : ids) {
      Sql take;
      take << "UPDATE deliveries SET lease_until_us = ";
      take.Bind(until_us) << ", lease_owner = ";
      take.Bind(owner) << ", attempts = attempts + 1, update_us = ";
      take.Bind(now_us) << " WHERE id = ";
      take.Bind(candidate) << " AND state IN (" << absl::StrCat(kPending, ", ", kFailed) << ") AND lease_until_us <= ";
      take.Bind(now_us) << " AND next_attempt_us <= ";
      take.Bind(now_us);
      if (take.Exec(s) != 1) continue;
      absl::StatusOr<std::optional<DeliveryRow>> row = FindById(s, candidate);
      if (!row.ok()) return row.status();
      if (row->has_value()) claimed.push_back(**row);
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return claimed;
}

absl::StatusOr<bool> DeliveryQueue::MarkSent(const std::string& id, const std::string& owner, absl::Time now) {
  bool done = false;
  absl::Status st = db_.InTransaction(db::TxMode::kWriteReadCommitted, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "UPDATE deliveries SET state = " << absl::StrCat(kSent) << ", lease_until_us = 0, last_error = '', send_us = ";
    q.Bind(static_cast<long long>(TimeToMicros(now))) << ", update_us = ";
    q.Bind(static_cast<long long>(TimeToMicros(now))) << " WHERE id = ";
    q.Bind(id) << " AND lease_owner = ";
    q.Bind(owner) << " AND state IN (" << absl::StrCat(kPending, ", ", kFailed) << ")";
    done = q.Exec(s) == 1;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return done;
}

absl::StatusOr<int> DeliveryQueue::MarkFailed(const std::string& id, const std::string& owner, absl::Time now,
                                              const std::string& error, bool permanent, const RetryPolicy& policy,
                                              double unit_random) {
  int state = 0;
  absl::Status st = db_.InTransaction(db::TxMode::kWriteReadCommitted, [&](soci::session& s) -> absl::Status {
    state = 0;
    absl::StatusOr<std::optional<DeliveryRow>> row = FindById(s, id);
    if (!row.ok()) return row.status();
    if (!row->has_value()) return NotFound(id);
    const DeliveryRow& r = **row;
    if (r.lease_owner != owner || (r.state != kPending && r.state != kFailed)) return absl::OkStatus();
    state = (permanent || r.attempts >= policy.max_attempts) ? kDeadLetter : kFailed;
    const absl::Time next = now + Backoff(policy, r.attempts, unit_random);
    Sql q;
    q << "UPDATE deliveries SET state = ";
    q.Bind(state) << ", lease_until_us = 0, last_error = ";
    q.Bind(error.substr(0, 1000)) << ", next_attempt_us = ";
    q.Bind(static_cast<long long>(TimeToMicros(next))) << ", update_us = ";
    q.Bind(static_cast<long long>(TimeToMicros(now))) << " WHERE id = ";
    q.Bind(id) << " AND lease_owner = ";
    q.Bind(owner);
    if (q.Exec(s) != 1) state = 0;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return state;
}

absl::StatusOr<DeliveryRow> DeliveryQueue::Retry(const std::string& id, absl::Time now) {
  DeliveryRow out;
  absl::Status st = db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::optional<DeliveryRow>> row = FindById(s, id);
    if (!row.ok()) return row.status();
    if (!row->has_value()) return NotFound(id);
    if ((*row)->state != kDeadLetter && (*row)->state != kFailed) {
      return ErrorWithInfo(absl::StatusCode::kFailedPrecondition, "only dead-lettered or failed deliveries are retried",
                           "DELIVERY_NOT_RETRYABLE", {{"delivery", id}, {"state", absl::StrCat((*row)->state)}});
    }
    Sql q;
    q << "UPDATE deliveries SET state = " << absl::StrCat(kPending)
      << ", attempts = 0, lease_until_us = 0, lease_owner = '', next_attempt_us = ";
    q.Bind(static_cast<long long>(TimeToMicros(now))) << ", update_us = ";
    q.Bind(static_cast<long long>(TimeToMicros(now))) << " WHERE id = ";
    q.Bind(id);
    q.Exec(s);
    absl::StatusOr<std::optional<DeliveryRow>> again = FindById(s, id);
    if (!again.ok()) return again.status();
    out = **again;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<DeliveryRow> DeliveryQueue::Get(const std::string& id) {
  std::optional<DeliveryRow> out;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::optional<DeliveryRow>> row = FindById(s, id);
    if (!row.ok()) return row.status();
    out = *row;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!out.has_value()) return NotFound(id);
  return *out;
}

absl::StatusOr<DeliveryPage> DeliveryQueue::List(const DeliveryFilter& f, int page_size,
                                                 const std::string& page_token) {
  long long after_us = std::numeric_limits<long long>::max();
  std::string after_id;
  if (!page_token.empty()) {
    std::vector<std::string> parts = absl::StrSplit(page_token, absl::MaxSplits('.', 1));
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &after_us)) {
      return InvalidArgumentError("page_token is not a token of this listing", {{"page_token", "malformed"}});
    }
    after_id = parts[1];
  }
  DeliveryPage page;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "SELECT " << kColumns << " FROM deliveries WHERE (create_us < ";
    q.Bind(after_us) << " OR (create_us = ";
    q.Bind(after_us) << " AND id < ";
    q.Bind(after_id) << "))";
    if (!f.recipient.empty()) {
      q << " AND (recipient = ";
      q.Bind(f.recipient) << " OR address = ";
      q.Bind(f.recipient) << ")";
    }
    if (f.state != 0) {
      q << " AND state = ";
      q.Bind(f.state);
    }
    if (f.channel != 0) {
      q << " AND channel = ";
      q.Bind(f.channel);
    }
    if (!f.event_id.empty()) {
      q << " AND event_id = ";
      q.Bind(f.event_id);
    }
    if (!f.session.empty()) {
      q << " AND session = ";
      q.Bind(f.session);
    }
    if (f.start_time) {
      q << " AND create_us >= ";
      q.Bind(static_cast<long long>(TimeToMicros(*f.start_time)));
    }
    if (f.end_time) {
      q << " AND create_us < ";
      q.Bind(static_cast<long long>(TimeToMicros(*f.end_time)));
    }
    q << " ORDER BY create_us DESC, id DESC LIMIT ";
    q.Bind(page_size + 1);
    page.rows = FetchRows(s, q);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (static_cast<int>(page.rows.size()) > page_size) {
    page.rows.resize(page_size);
    page.next_page_token = absl::StrCat(TimeToMicros(page.rows.back().create_time), ".", page.rows.back().id);
  }
  return page;
}

absl::StatusOr<int64_t> DeliveryQueue::DueCount(absl::Time now) {
  long long n = 0;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "SELECT COUNT(*) FROM deliveries WHERE state IN (" << absl::StrCat(kPending, ", ", kFailed)
      << ") AND next_attempt_us <= ";
    q.Bind(static_cast<long long>(TimeToMicros(now)));
    q.Fetch(s, [&](soci::statement& t) { t.exchange(soci::into(n)); }, [] {});
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return static_cast<int64_t>(n);
}

absl::StatusOr<std::optional<absl::Time>> DeliveryQueue::NextDue() {
  long long n = 0;
  int rows = 0;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "SELECT next_attempt_us FROM deliveries WHERE state IN (" << absl::StrCat(kPending, ", ", kFailed)
      << ") ORDER BY next_attempt_us LIMIT 1";
    rows = q.Fetch(s, [&](soci::statement& t) { t.exchange(soci::into(n)); }, [] {});
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (rows == 0) return std::optional<absl::Time>();
  return std::optional<absl::Time>(MicrosToTime(n));
}

}  // namespace etnik::notifications::store
