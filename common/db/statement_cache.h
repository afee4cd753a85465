#ifndef ETNIK_COMMON_DB_STATEMENT_CACHE_H_
#define ETNIK_COMMON_DB_STATEMENT_CACHE_H_

// Prepared statements kept per pooled connection, so SQL on a hot path is parsed and planned once
// per connection rather than on every call (SQLite: sqlite3_prepare; PostgreSQL: a named
// server-side statement). A one-time `session << sql` pays that cost each time.
//
// An entry is a struct deriving from StatementCache::Entry that holds the variables a
// soci::statement is bound to and, declared after them, the statement itself:
//
//   struct FindHub : db::StatementCache::Entry {
//     explicit FindHub(soci::session& s)
//         : st((s.prepare << "SELECT name FROM hubs WHERE id = :id", soci::use(id),
//               soci::into(name))) {}
//     long long id = 0;
//     std::string name;
//     soci::statement st;
//   };
//   std::unique_ptr<FindHub> local;
//   FindHub& q = db::CachedStatement<FindHub>(session, "hubs/find", local);
//   q.id = 7;
//   db::Run(q, [&] { q.st.execute(true); });
//
// Keys are shared by all code using the connection: prefix them with the table or module.

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace soci {
class session;
}  // namespace soci

namespace etnik::db {

class StatementCache {
 public:
  struct Entry {
    virtual ~Entry() = default;
    // Set while the statement runs; an entry left broken by an exception is prepared afresh.
    bool broken = false;
  };

  // The entry under `key`, made with `make()` when missing or broken.
  template <typename T, typename Make>
  T& Get(const std::string& key, Make&& make) {
    std::unique_ptr<Entry>& slot = entries_[key];
    if (slot == nullptr || slot->broken) {
      slot.reset();  // a broken statement goes before its replacement is prepared
      slot = make();
    }
    return static_cast<T&>(*slot);
  }

  // Drops every statement (before the connection closes or is reopened).
  void Clear() { entries_.clear(); }

 private:
  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> entries_;
};

// The cache of the connection behind `session` while a Database unit of work runs on it on this
// thread; nullptr otherwise (e.g. a session opened by hand), in which case callers prepare per call.
StatementCache* StatementCacheFor(soci::session& session);

// An entry of type T, constructed as T(session, args...), for `key`: from the connection's
// cache, or, without one, a fresh statement owned by `local` for this call only.
template <typename T, typename... Args>
T& CachedStatement(soci::session& session, const std::string& key, std::unique_ptr<T>& local,
                   const Args&... args) {
  if (StatementCache* cache = StatementCacheFor(session)) {
    return cache->Get<T>(key, [&] { return std::make_unique<T>(session, args...); });
  }
  local = std::make_unique<T>(session, args...);
  return *local;
}

// Runs `body` (which executes entry's statement) and marks the entry broken if it throws; the
// exception still propagates to the caller's CatchDbErrors.
template <typename Body>
void Run(StatementCache::Entry& entry, Body&& body) {
  entry.broken = true;
  body();
  entry.broken = false;
}

namespace internal {
// Set by Database around a unit of work.
struct ActiveConnection {
  soci::session* session = nullptr;
  StatementCache* cache = nullptr;
};
ActiveConnection& CurrentConnection();
}  // namespace internal

}  // namespace etnik::db

#endif  // ETNIK_COMMON_DB_STATEMENT_CACHE_H_
