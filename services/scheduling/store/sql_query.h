#ifndef ETNIK_SERVICES_SCHEDULING_STORE_SQL_QUERY_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_SQL_QUERY_H_

// A statement whose text is assembled at run time (optional filters) with every value bound,
// never spliced into the text. Bound values live in the builder, so it must outlive execution.
//
// Exec() and Fetch<Row>() prepare the statement once per pooled connection (common/db's
// StatementCache, keyed by the text): later calls with the same text copy their values into the
// cached statement's bound slots and run it again. That matters on PostgreSQL, where preparing
// is a round trip of its own.

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/db/db_errors.h"
#include "common/db/statement_cache.h"
#include "soci/soci.h"

namespace etnik::scheduling::store {

class SqlQuery {
 public:
  SqlQuery& operator<<(absl::string_view text) {
    sql_.append(text.data(), text.size());
    return *this;
  }
  // Appends a placeholder bound to `value`.
  SqlQuery& Bind(std::string value) {
    etnik::db::CheckNoNul(value);
    binds_.push_back({Kind::kString, strings_.size(), 0});
    strings_.push_back(std::move(value));
    return Placeholder('s');
  }
  SqlQuery& Bind(long long value) {
    binds_.push_back({Kind::kInt, ints_.size(), 0});
    ints_.push_back(value);
    return Placeholder('i');
  }
  SqlQuery& Bind(int value) { return Bind(static_cast<long long>(value)); }
  // Binds a nullable BIGINT.
  SqlQuery& BindNullable(bool present, long long value) {
    binds_.push_back({Kind::kNullableInt, ints_.size(), indicators_.size()});
    ints_.push_back(value);
    indicators_.push_back(present ? soci::i_ok : soci::i_null);
    return Placeholder('n');
  }

  const std::string& sql() const { return sql_; }

  // Prepares the statement on `session` with the given into() targets exchanged first.
  // `intos` registers them, e.g. [&](soci::statement& st) { st.exchange(soci::into(x)); }.
  void Prepare(soci::statement& st, const std::function<void(soci::statement&)>& intos = {}) {
    if (intos) intos(st);
    for (const BoundValue& b : binds_) {
      switch (b.kind) {
        case Kind::kString:
          st.exchange(soci::use(strings_[b.index]));
          break;
        case Kind::kInt:
          st.exchange(soci::use(ints_[b.index]));
          break;
        case Kind::kNullableInt:
          st.exchange(soci::use(ints_[b.index], indicators_[b.indicator]));
          break;
      }
    }
    st.alloc();
    st.prepare(sql_);
    st.define_and_bind();
  }

  // Runs a statement that returns no rows, prepared once per connection; the rows it changed.
  long long Exec(soci::session& session);

  // Runs a query prepared once per connection and calls on_row(const Row&) for each row it
  // returns, in order; the number of rows. Row has the columns as members and
  // `void Into(soci::statement&)` exchanging them in select order.
  template <typename Row, typename OnRow>
  int Fetch(soci::session& session, OnRow&& on_row);

  // The cache key: the text, the kinds of its values and the row type.
  template <typename Row>
  std::string CacheKey() const {
    return absl::StrCat("sched/", typeid(Row).name(), "/", shape_, "/", sql_);
  }
  // Copies the values of `other`, a query of the same key, into this query's slots (whose
  // addresses a prepared statement holds).
  void CopyValuesFrom(const SqlQuery& other) {
    for (size_t i = 0; i < strings_.size(); ++i) strings_[i] = other.strings_[i];
    for (size_t i = 0; i < ints_.size(); ++i) ints_[i] = other.ints_[i];
    for (size_t i = 0; i < indicators_.size(); ++i) indicators_[i] = other.indicators_[i];
  }

 private:
  enum class Kind { kString, kInt, kNullableInt };
  struct BoundValue {
    Kind kind;
    size_t index;
    size_t indicator;
  };

  SqlQuery& Placeholder(char kind) {
    shape_.push_back(kind);
    absl::StrAppend(&sql_, ":p", ++count_);
    return *this;
  }

  std::string sql_;
  std::string shape_;
  int count_ = 0;
  std::deque<std::string> strings_;
  std::deque<long long> ints_;
  std::deque<soci::indicator> indicators_;
  std::vector<BoundValue> binds_;
};

// A row of no columns, for statements that return none.
struct NoRow {
  void Into(soci::statement&) {}
};

// A row of one column.
template <typename T>
struct ValueRow {
  T value{};
  void Into(soci::statement& st) { st.exchange(soci::into(value)); }
};

// A prepared SqlQuery with its own copy of the bound values and the row it reads into.
template <typename Row>
struct PreparedQuery : db::StatementCache::Entry {
  PreparedQuery(soci::session& session, const SqlQuery& q) : query(q), st(session) {
    query.Prepare(st, [this](soci::statement& s) { row.Into(s); });
  }
  SqlQuery query;
  Row row;
  soci::statement st;  // last: destroyed before the values it is bound to
};

template <typename Row>
PreparedQuery<Row>& Prepared(soci::session& session, const SqlQuery& q,
                             std::unique_ptr<PreparedQuery<Row>>& local) {
  if (db::StatementCache* cache = db::StatementCacheFor(session)) {
    bool made = false;
    PreparedQuery<Row>& p = cache->Get<PreparedQuery<Row>>(q.CacheKey<Row>(), [&] {
      made = true;
      return std::make_unique<PreparedQuery<Row>>(session, q);
    });
    if (!made) p.query.CopyValuesFrom(q);
    return p;
  }
  local = std::make_unique<PreparedQuery<Row>>(session, q);
  return *local;
}

inline long long SqlQuery::Exec(soci::session& session) {
  std::unique_ptr<PreparedQuery<NoRow>> local;
  PreparedQuery<NoRow>& p = Prepared(session, *this, local);
  long long changed = 0;
  db::Run(p, [&] {
    p.st.execute(true);
    changed = p.st.get_affected_rows();
  });
  return changed;
}

template <typename Row, typename OnRow>
int SqlQuery::Fetch(soci::session& session, OnRow&& on_row) {
  std::unique_ptr<PreparedQuery<Row>> local;
  PreparedQuery<Row>& p = Prepared(session, *this, local);
  int rows = 0;
  db::Run(p, [&] {
    p.st.execute(false);
    while (p.st.fetch()) {
      ++rows;
      on_row(static_cast<const Row&>(p.row));
    }
  });
  return rows;
}

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_SQL_QUERY_H_
