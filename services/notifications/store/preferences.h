#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_PREFERENCES_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_PREFERENCES_H_

// Recipients' preferences: channel consent, zone, language and the unsubscribe flag; one per
// recipient key, etag = row version. Resource id = the row id (preferences/{id}).

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/database.h"
#include "etnik/notifications/v1/preference.pb.h"

namespace etnik::notifications::store {

// The preference of `recipient`, inside the caller's transaction.
absl::StatusOr<std::optional<v1::Preference>> FindPreferenceByRecipient(soci::session& s, const std::string& recipient);

class PreferenceStore {
 public:
  explicit PreferenceStore(db::Database& db) : db_(db) {}
  absl::StatusOr<v1::Preference> Get(const std::string& id);
  absl::StatusOr<std::vector<v1::Preference>> List(const std::string& email, const std::string& recipient,
                                                   int page_size, const std::string& page_token,
                                                   std::string* next_page_token);
  // Writes `p` (all writable fields; the caller merged its mask). Finds the row by p.name(), or
  // by p.recipient() when the name is empty; creates it when missing and allow_missing, else
  // NOT_FOUND. ABORTED ETAG_MISMATCH when p.etag() is set and stale.
  absl::StatusOr<v1::Preference> Upsert(const v1::Preference& p, bool allow_missing, absl::Time now);
  // Marks `recipient` unsubscribed (creating its preference when needed).
  absl::StatusOr<v1::Preference> Unsubscribe(const std::string& recipient, absl::Time now);

 private:
  db::Database& db_;
};

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_PREFERENCES_H_
