#include "common/db/statement_cache.h"

namespace etnik::db {

namespace internal {
ActiveConnection& CurrentConnection() {
  thread_local ActiveConnection current;
  return current;
}
}  // namespace internal

StatementCache* StatementCacheFor(soci::session& session) {
  const internal::ActiveConnection& current = internal::CurrentConnection();
  return current.session == &session ? current.cache : nullptr;
}

}  // namespace etnik::db
