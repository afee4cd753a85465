#include "services/notifications/store/programme_titles.h"

#include "services/notifications/store/sql.h"

namespace etnik::notifications::store {

absl::Status SaveProgrammeTitle(soci::session& s, const std::string& programme,
                                const etnik::common::v1::LocalizedText& title) {
  Sql q;
  q << "INSERT INTO programme_titles (programme, title_ru, title_en) VALUES (";
  q.Bind(programme) << ", ";
  q.Bind(title.ru()) << ", ";
  q.Bind(title.en()) << ") ON CONFLICT (programme) DO UPDATE SET title_ru = excluded.title_ru, "
                        "title_en = excluded.title_en";
  q.Exec(s);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<etnik::common::v1::LocalizedText>> FindProgrammeTitle(soci::session& s,
                                                                                   const std::string& programme) {
  Sql q;
  q << "SELECT title_ru, title_en FROM programme_titles WHERE programme = ";
  q.Bind(programme);
  std::optional<etnik::common::v1::LocalizedText> out;
  std::string ru, en;
  q.Fetch(
      s, [&](soci::statement& st) { st.exchange(soci::into(ru)); st.exchange(soci::into(en)); },
      [&] {
        out.emplace();
        out->set_ru(ru);
        out->set_en(en);
      });
  return out;
}

}  // namespace etnik::notifications::store
