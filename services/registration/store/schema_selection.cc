// Tables of review, selection, offers and participants.

#include "services/registration/store/schema.h"

namespace etnik::registration::store {

std::vector<db::Migration> SelectionMigrations(int first_version) {
  (void)first_version;
  return {};
}

}  // namespace etnik::registration::store
