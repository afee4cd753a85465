#include "services/notifications/store/reminder_settings.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/time_micros.h"
#include "common/status/errors.h"
#include "services/notifications/store/sql.h"

namespace etnik::notifications::store {

absl::StatusOr<ReminderConfig> LoadReminderConfig(soci::session& s, const std::string& programme) {
  Sql q;
  q << "SELECT offsets_s, remind_attendees, remind_hosts, update_us, version FROM reminder_settings"
       " WHERE programme = ";
  q.Bind(programme);
  std::string offsets;
  int attendees = 0, hosts = 0;
  long long update_us = 0, version = 0;
  const int rows = q.Fetch(
      s,
      [&](soci::statement& st) {
        st.exchange(soci::into(offsets));
        st.exchange(soci::into(attendees));
        st.exchange(soci::into(hosts));
        st.exchange(soci::into(update_us));
        st.exchange(soci::into(version));
      },
      [] {});
  ReminderConfig config;
  if (rows == 0) return config;
  config.offsets.clear();
  for (absl::string_view part : absl::StrSplit(offsets, ',', absl::SkipEmpty())) {
    long long seconds = 0;
    if (absl::SimpleAtoi(part, &seconds)) config.offsets.push_back(absl::Seconds(seconds));
  }
  config.remind_attendees = attendees != 0;
  config.remind_hosts = hosts != 0;
  config.update_time = db::MicrosToTime(update_us);
  config.version = version;
  return config;
}

absl::StatusOr<ReminderConfig> ReminderSettingsStore::Get(const std::string& programme) {
  ReminderConfig out;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<ReminderConfig> c = LoadReminderConfig(s, programme);
    if (!c.ok()) return c.status();
    out = *c;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<ReminderConfig> ReminderSettingsStore::Update(const std::string& programme,
                                                             const ReminderConfig& config, const std::string& etag,
                                                             absl::Time now) {
  ReminderConfig out;
  absl::Status st = db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<ReminderConfig> current = LoadReminderConfig(s, programme);
    if (!current.ok()) return current.status();
    if (!etag.empty() && etag != absl::StrCat(current->version)) {
      return ErrorWithInfo(absl::StatusCode::kAborted, "the settings changed since they were read", "ETAG_MISMATCH",
                           {{"name", programme}, {"etag", absl::StrCat(current->version)}});
    }
    std::vector<std::string> seconds;
    for (absl::Duration d : config.offsets) seconds.push_back(absl::StrCat(absl::ToInt64Seconds(d)));
    const long long now_us = db::TimeToMicros(now);
    Sql q;
    if (current->version == 0) {
      q << "INSERT INTO reminder_settings (programme, offsets_s, remind_attendees, remind_hosts, update_us, version)"
           " VALUES (";
      q.Bind(programme) << ", ";
      q.Bind(absl::StrJoin(seconds, ",")) << ", ";
      q.Bind(config.remind_attendees ? 1 : 0) << ", ";
      q.Bind(config.remind_hosts ? 1 : 0) << ", ";
      q.Bind(now_us) << ", 1)";
    } else {
      q << "UPDATE reminder_settings SET offsets_s = ";
      q.Bind(absl::StrJoin(seconds, ",")) << ", remind_attendees = ";
      q.Bind(config.remind_attendees ? 1 : 0) << ", remind_hosts = ";
      q.Bind(config.remind_hosts ? 1 : 0) << ", update_us = ";
      q.Bind(now_us) << ", version = version + 1 WHERE programme = ";
      q.Bind(programme);
    }
    q.Exec(s);
    absl::StatusOr<ReminderConfig> again = LoadReminderConfig(s, programme);
    if (!again.ok()) return again.status();
    out = *again;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace etnik::notifications::store
