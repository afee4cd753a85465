#ifndef ETNIK_SERVICES_SCHEDULING_STORE_SQL_QUERY_H_
#define ETNIK_SERVICES_SCHEDULING_STORE_SQL_QUERY_H_

// A statement whose text is assembled at run time (optional filters) with every value bound,
// never spliced into the text. Bound values live in the builder, so it must outlive execution.

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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
    strings_.push_back(std::move(value));
    std::string& ref = strings_.back();
    uses_.push_back([&ref](soci::statement& st) { st.exchange(soci::use(ref)); });
    return Placeholder();
  }
  SqlQuery& Bind(long long value) {
    ints_.push_back(value);
    long long& ref = ints_.back();
    uses_.push_back([&ref](soci::statement& st) { st.exchange(soci::use(ref)); });
    return Placeholder();
  }
  SqlQuery& Bind(int value) { return Bind(static_cast<long long>(value)); }
  // Binds a nullable BIGINT.
  SqlQuery& BindNullable(bool present, long long value) {
    ints_.push_back(value);
    indicators_.push_back(present ? soci::i_ok : soci::i_null);
    long long& ref = ints_.back();
    soci::indicator& ind = indicators_.back();
    uses_.push_back([&ref, &ind](soci::statement& st) { st.exchange(soci::use(ref, ind)); });
    return Placeholder();
  }

  const std::string& sql() const { return sql_; }

  // Prepares the statement on `session` with the given into() targets exchanged first.
  // `intos` registers them, e.g. [&](soci::statement& st) { st.exchange(soci::into(x)); }.
  void Prepare(soci::statement& st, const std::function<void(soci::statement&)>& intos = {}) {
    if (intos) intos(st);
    for (const auto& use : uses_) use(st);
    st.alloc();
    st.prepare(sql_);
    st.define_and_bind();
  }

  // Runs a statement that returns no rows; the number of rows it changed.
  long long Exec(soci::session& session) {
    soci::statement st(session);
    Prepare(st);
    st.execute(true);
    return st.get_affected_rows();
  }

 private:
  SqlQuery& Placeholder() {
    absl::StrAppend(&sql_, ":p", ++count_);
    return *this;
  }

  std::string sql_;
  int count_ = 0;
  std::deque<std::string> strings_;
  std::deque<long long> ints_;
  std::deque<soci::indicator> indicators_;
  std::vector<std::function<void(soci::statement&)>> uses_;
};

}  // namespace etnik::scheduling::store

#endif  // ETNIK_SERVICES_SCHEDULING_STORE_SQL_QUERY_H_
