#ifndef ETNIK_SERVICES_REGISTRATION_STORE_ROW_FETCH_H_
#define ETNIK_SERVICES_REGISTRATION_STORE_ROW_FETCH_H_

// Shared by the registration store files: time columns and reading stored protos back.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/db/sql_query.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "services/registration/store/selection_store.h"

namespace etnik::registration::store {

// Microseconds since the epoch, as the time columns hold them.
inline long long Micros(const google::protobuf::Timestamp& t) {
  return static_cast<long long>(google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

// Runs `sql` on `q`, whose only column is bound to `data`, and decodes every row's proto.
template <typename T>
absl::StatusOr<std::vector<T>> FetchProtos(db::SqlQuery& q, std::string& data, const std::string& sql) {
  q.Execute(sql);
  std::vector<T> out;
  while (q.Fetch()) {
    T item;
    if (!DecodeRow(data, &item)) {
      return absl::DataLossError(absl::StrCat("a stored ", T::descriptor()->name(), " does not parse"));
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace etnik::registration::store

#endif  // ETNIK_SERVICES_REGISTRATION_STORE_ROW_FETCH_H_
