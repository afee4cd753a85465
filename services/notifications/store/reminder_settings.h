#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_REMINDER_SETTINGS_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_REMINDER_SETTINGS_H_

// Reminder offsets per programme. A programme without a row uses the defaults: 24 h and 1 h
// before each session, for attendees and hosts.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/database.h"

namespace etnik::notifications::store {

struct ReminderConfig {
  std::vector<absl::Duration> offsets = {absl::Hours(24), absl::Hours(1)};
  bool remind_attendees = true;
  bool remind_hosts = true;
  absl::Time update_time = absl::UnixEpoch();
  long long version = 0;  // 0: the defaults, never stored
};

// The settings of `programme` (programmes/{programme}) inside the caller's transaction.
absl::StatusOr<ReminderConfig> LoadReminderConfig(soci::session& s, const std::string& programme);

class ReminderSettingsStore {
 public:
  explicit ReminderSettingsStore(db::Database& db) : db_(db) {}
  absl::StatusOr<ReminderConfig> Get(const std::string& programme);
  // Stores `config` when `etag` is empty or equals the current version; ABORTED ETAG_MISMATCH
  // otherwise. Reminders already queued keep their times; new bookings use the new offsets.
  absl::StatusOr<ReminderConfig> Update(const std::string& programme, const ReminderConfig& config,
                                        const std::string& etag, absl::Time now);

 private:
  db::Database& db_;
};

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_REMINDER_SETTINGS_H_
