#ifndef ETNIK_SERVICES_NOTIFICATIONS_STORE_TEMPLATES_H_
#define ETNIK_SERVICES_NOTIFICATIONS_STORE_TEMPLATES_H_

// Templates per (event type, channel, language), seeded from the built-in defaults and edited by
// organisers with optimistic concurrency (etag = row version).

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/database.h"
#include "etnik/notifications/v1/template.pb.h"

namespace etnik::notifications::store {

// Inserts the templates that are missing (by name); edited ones are kept. Returns how many.
absl::StatusOr<int> SeedTemplates(db::Database& db, const std::vector<v1::Template>& templates, absl::Time now);

// The template of `id` (the part after "templates/"), inside the caller's transaction.
absl::StatusOr<std::optional<v1::Template>> FindTemplate(soci::session& s, const std::string& id);

struct TemplateFilter {
  std::string event_type;
  int channel = 0;
  int language = 0;
};

class TemplateStore {
 public:
  explicit TemplateStore(db::Database& db) : db_(db) {}
  // NOT_FOUND when missing.
  absl::StatusOr<v1::Template> Get(const std::string& id);
  // Ordered by name, keyset-paged (the token is the last name).
  absl::StatusOr<std::vector<v1::Template>> List(const TemplateFilter& filter, int page_size,
                                                 const std::string& page_token, std::string* next_page_token);
  // Writes subject, body and essential of `t` (already validated) when t.etag() is empty or
  // matches; ABORTED with ErrorInfo ETAG_MISMATCH otherwise, NOT_FOUND when missing.
  absl::StatusOr<v1::Template> Update(const v1::Template& t, absl::Time now);

 private:
  db::Database& db_;
};

}  // namespace etnik::notifications::store

#endif  // ETNIK_SERVICES_NOTIFICATIONS_STORE_TEMPLATES_H_
