#include "services/notifications/store/preferences.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/db/time_micros.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "google/protobuf/util/time_util.h"
#include "services/notifications/store/sql.h"

namespace etnik::notifications::store {
namespace {

constexpr char kColumns[] = "id, recipient, email, channels, time_zone, language, unsubscribed, update_us, version";

// Channel consent as text: "channel|enabled|address" lines (addresses never hold a newline).
std::string EncodeChannels(const v1::Preference& p) {
  std::string out;
  for (const v1::ChannelConsent& c : p.channels()) {
    absl::StrAppend(&out, static_cast<int>(c.channel()), "|", c.enabled() ? 1 : 0, "|", c.address(), "\n");
  }
  return out;
}

void DecodeChannels(const std::string& text, v1::Preference* p) {
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits('|', 2));
    int channel = 0;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &channel)) continue;
    v1::ChannelConsent* c = p->add_channels();
    c->set_channel(static_cast<etnik::common::v1::Channel>(channel));
    c->set_enabled(parts[1] == "1");
    c->set_address(parts[2]);
  }
}

struct Targets {
  std::string id, recipient, email, channels, zone;
  int language = 0, unsubscribed = 0;
  long long update_us = 0, version = 0;
  void Into(soci::statement& st) {
    for (std::string* s : {&id, &recipient, &email, &channels, &zone}) st.exchange(soci::into(*s));
    for (int* i : {&language, &unsubscribed}) st.exchange(soci::into(*i));
    for (long long* l : {&update_us, &version}) st.exchange(soci::into(*l));
  }
  v1::Preference Take() const {
    v1::Preference p;
    p.set_name(absl::StrCat("preferences/", id));
    p.set_recipient(recipient);
    p.set_email(email);
    DecodeChannels(channels, &p);
    p.set_time_zone(zone);
    p.set_language(static_cast<etnik::common::v1::Language>(language));
    p.set_unsubscribed(unsubscribed != 0);
    *p.mutable_update_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(update_us);
    p.set_etag(absl::StrCat(version));
    return p;
  }
};

std::vector<v1::Preference> Fetch(soci::session& s, Sql& q) {
  std::vector<v1::Preference> out;
  Targets t;
  q.Fetch(s, [&](soci::statement& st) { t.Into(st); }, [&] { out.push_back(t.Take()); });
  return out;
}

absl::StatusOr<std::optional<v1::Preference>> FindBy(soci::session& s, const char* column, const std::string& value) {
  Sql q;
  q << "SELECT " << kColumns << " FROM preferences WHERE " << column << " = ";
  q.Bind(value);
  std::vector<v1::Preference> rows = Fetch(s, q);
  if (rows.empty()) return std::optional<v1::Preference>();
  return std::optional<v1::Preference>(rows.front());
}

std::string IdOf(const std::string& name) {
  return absl::StartsWith(name, "preferences/") ? name.substr(12) : name;
}

absl::Status NotFound(const std::string& what) {
  return ErrorWithInfo(absl::StatusCode::kNotFound, absl::StrCat("no preference ", what), "PREFERENCE_NOT_FOUND",
                       {{"preference", what}});
}

}  // namespace

absl::StatusOr<std::optional<v1::Preference>> FindPreferenceByRecipient(soci::session& s, const std::string& recipient) {
  return FindBy(s, "recipient", recipient);
}

absl::StatusOr<v1::Preference> PreferenceStore::Get(const std::string& id) {
  std::optional<v1::Preference> out;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::optional<v1::Preference>> p = FindBy(s, "id", id);
    if (!p.ok()) return p.status();
    out = *p;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!out) return NotFound(id);
  return *out;
}

absl::StatusOr<std::vector<v1::Preference>> PreferenceStore::List(const std::string& email, const std::string& recipient,
                                                                  int page_size, const std::string& page_token,
                                                                  std::string* next_page_token) {
  std::vector<v1::Preference> rows;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    Sql q;
    q << "SELECT " << kColumns << " FROM preferences WHERE id > ";
    q.Bind(page_token);
    if (!email.empty()) {
      q << " AND email = ";
      q.Bind(absl::AsciiStrToLower(email));
    }
    if (!recipient.empty()) {
      q << " AND recipient = ";
      q.Bind(recipient);
    }
    q << " ORDER BY id LIMIT ";
    q.Bind(page_size + 1);
    rows = Fetch(s, q);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  next_page_token->clear();
  if (static_cast<int>(rows.size()) > page_size) {
    rows.resize(page_size);
    *next_page_token = IdOf(rows.back().name());
  }
  return rows;
}

absl::StatusOr<v1::Preference> PreferenceStore::Upsert(const v1::Preference& p, bool allow_missing, absl::Time now) {
  v1::Preference out;
  absl::Status st = db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::optional<v1::Preference>> current =
        p.name().empty() ? FindBy(s, "recipient", p.recipient()) : FindBy(s, "id", IdOf(p.name()));
    if (!current.ok()) return current.status();
    const long long now_us = db::TimeToMicros(now);
    std::string id;
    Sql q;
    if (!current->has_value()) {
      if (!allow_missing) return NotFound(p.name().empty() ? p.recipient() : p.name());
      // One preference per recipient: a create under a new name for a recipient who has one is a
      // conflict, told by name rather than by the database's unique constraint.
      if (!p.name().empty() && !p.recipient().empty()) {
        absl::StatusOr<std::optional<v1::Preference>> theirs = FindBy(s, "recipient", p.recipient());
        if (!theirs.ok()) return theirs.status();
        if (theirs->has_value()) {
          return ErrorWithInfo(absl::StatusCode::kAlreadyExists, "the recipient already has a preference",
                               "PREFERENCE_EXISTS", {{"preference", (*theirs)->name()}});
        }
      }
      // allow_missing creates the preference under the name asked for (AIP-134).
      id = p.name().empty() ? NewId() : IdOf(p.name());
      q << "INSERT INTO preferences (" << kColumns << ") VALUES (";
      q.Bind(id) << ", ";
      q.Bind(p.recipient()) << ", ";
      q.Bind(absl::AsciiStrToLower(p.email())) << ", ";
      q.Bind(EncodeChannels(p)) << ", ";
      q.Bind(p.time_zone()) << ", ";
      q.Bind(static_cast<int>(p.language())) << ", ";
      q.Bind(p.unsubscribed() ? 1 : 0) << ", ";
      q.Bind(now_us) << ", 1)";
    } else {
      if (!p.etag().empty() && p.etag() != (*current)->etag()) {
        return ErrorWithInfo(absl::StatusCode::kAborted, "the preference changed since it was read", "ETAG_MISMATCH",
                             {{"preference", (*current)->name()}, {"etag", (*current)->etag()}});
      }
      id = IdOf((*current)->name());
      q << "UPDATE preferences SET email = ";
      q.Bind(absl::AsciiStrToLower(p.email())) << ", channels = ";
      q.Bind(EncodeChannels(p)) << ", time_zone = ";
      q.Bind(p.time_zone()) << ", language = ";
      q.Bind(static_cast<int>(p.language())) << ", unsubscribed = ";
      q.Bind(p.unsubscribed() ? 1 : 0) << ", update_us = ";
      q.Bind(now_us) << ", version = version + 1 WHERE id = ";
      q.Bind(id);
    }
    q.Exec(s);
    absl::StatusOr<std::optional<v1::Preference>> again = FindBy(s, "id", id);
    if (!again.ok()) return again.status();
    out = **again;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<v1::Preference> PreferenceStore::Unsubscribe(const std::string& recipient, absl::Time now) {
  v1::Preference p;
  absl::Status st = db_.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::optional<v1::Preference>> current = FindBy(s, "recipient", recipient);
    if (!current.ok()) return current.status();
    if (current->has_value()) p = **current;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  p.set_recipient(recipient);
  if (p.email().empty() && absl::StartsWith(recipient, "mailto:")) p.set_email(recipient.substr(7));
  p.set_unsubscribed(true);
  p.clear_etag();
  return Upsert(p, /*allow_missing=*/true, now);
}

}  // namespace etnik::notifications::store
