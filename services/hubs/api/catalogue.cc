#include "services/hubs/api/catalogue.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/hubs/domain/paging.h"
#include "services/hubs/domain/rules.h"
#include "services/hubs/mapping/hub_mapping.h"

namespace etnik::hubs::api {
namespace {

namespace hv1 = etnik::hubs::v1;

absl::Status CheckProgramme(const std::string& programme) {
  if (programme.empty() || IsValidProgrammeName(programme)) return absl::OkStatus();
  return InvalidArgumentError("programme is not a programme name",
                              {{"programme", "programmes/{programme}, or empty for every programme"}});
}

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;  // the proto3 JSON form: lowerCamelCase
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) return "null";
  return out;
}

}  // namespace

absl::StatusOr<hv1::ListPublishedHubsResponse> CatalogueReader::All(const std::string& programme) {
  if (absl::Status s = CheckProgramme(programme); !s.ok()) return s;
  absl::StatusOr<std::string> blob =
      use_cases_.catalogue_cache().GetOrLoad(CatalogueProgrammeKey(programme), [&]() -> absl::StatusOr<std::string> {
        absl::StatusOr<std::vector<CatalogueEntry>> entries = use_cases_.PublishedCatalogue(programme);
        if (!entries.ok()) return entries.status();
        hv1::ListPublishedHubsResponse all;
        for (const CatalogueEntry& entry : *entries) mapping::ToProto(entry, all.add_hubs());
        all.set_total_size(all.hubs_size());
        return all.SerializeAsString();
      });
  if (!blob.ok()) return blob.status();
  hv1::ListPublishedHubsResponse all;
  if (!all.ParseFromString(*blob)) return absl::DataLossError("the cached catalogue cannot be read");
  return all;
}

absl::StatusOr<hv1::ListPublishedHubsResponse> CatalogueReader::List(const hv1::ListPublishedHubsRequest& request) {
  absl::StatusOr<PageCursor> cursor = ParsePageRequest({request.page_size(), request.page_token()},
                                                       FilterFingerprint({request.programme(), request.theme()}));
  if (!cursor.ok()) return cursor.status();
  absl::StatusOr<hv1::ListPublishedHubsResponse> all = All(request.programme());
  if (!all.ok()) return all.status();
  hv1::ListPublishedHubsResponse page;
  int matching = 0;
  for (const hv1::CatalogueHub& hub : all->hubs()) {
    if (!request.theme().empty() && hub.theme() != request.theme()) continue;
    ++matching;
    const SortKey key{hub.title().ru(), hub.name()};
    if (cursor->after && !(*cursor->after < key)) continue;
    if (page.hubs_size() < cursor->limit) {
      *page.add_hubs() = hub;
    } else if (page.next_page_token().empty()) {
      const hv1::CatalogueHub& last = page.hubs(page.hubs_size() - 1);
      page.set_next_page_token(EncodePageToken(cursor->fingerprint, {last.title().ru(), last.name()}));
    }
  }
  page.set_total_size(matching);
  return page;
}

absl::StatusOr<hv1::CatalogueHub> CatalogueReader::Get(const std::string& hub_id) {
  absl::StatusOr<std::string> blob =
      use_cases_.catalogue_cache().GetOrLoad(CatalogueHubKey(hub_id), [&]() -> absl::StatusOr<std::string> {
        absl::StatusOr<CatalogueEntry> entry = use_cases_.PublishedHub(hub_id);
        if (!entry.ok()) return entry.status();
        hv1::CatalogueHub hub;
        mapping::ToProto(*entry, &hub);
        return hub.SerializeAsString();
      });
  if (!blob.ok()) return blob.status();
  hv1::CatalogueHub hub;
  if (!hub.ParseFromString(*blob)) return absl::DataLossError("the cached hub cannot be read");
  return hub;
}

absl::StatusOr<hv1::ListThemesResponse> CatalogueReader::Themes(const std::string& programme) {
  absl::StatusOr<hv1::ListPublishedHubsResponse> all = All(programme);
  if (!all.ok()) return all.status();
  std::map<std::string, hv1::Theme> themes;
  for (const hv1::CatalogueHub& hub : all->hubs()) {
    hv1::Theme& theme = themes[hub.theme()];
    if (theme.theme().empty()) {
      theme.set_theme(hub.theme());
      *theme.mutable_title() = hub.theme_title();
    }
    theme.set_hub_count(theme.hub_count() + 1);
  }
  hv1::ListThemesResponse out;
  for (auto& [slug, theme] : themes) *out.add_themes() = std::move(theme);
  return out;
}

absl::StatusOr<hv1::ExportCatalogueResponse> CatalogueReader::Export(const std::string& programme) {
  absl::StatusOr<hv1::ListPublishedHubsResponse> all = All(programme);
  if (!all.ok()) return all.status();
  google::protobuf::Value name;
  name.set_string_value(programme);
  std::vector<std::string> hubs;
  for (const hv1::CatalogueHub& hub : all->hubs()) hubs.push_back(Json(hub));
  hv1::ExportCatalogueResponse out;
  out.set_json_data(absl::StrCat("{\"programme\":", Json(name), ",\"hubs\":[", absl::StrJoin(hubs, ","), "]}"));
  out.set_content_type("application/json; charset=utf-8");
  absl::string_view id = programme;
  out.set_filename(absl::ConsumePrefix(&id, "programmes/") ? absl::StrCat(id, "-hubs.json") : "hubs.json");
  return out;
}

}  // namespace etnik::hubs::api
