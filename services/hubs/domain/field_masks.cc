#include "services/hubs/domain/field_masks.h"

#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"

namespace etnik::hubs {
namespace {

template <typename T>
using Copier = std::function<void(const T& from, T* to)>;

template <typename T>
void AddText(std::map<std::string, Copier<T>>& m, const std::string& name, LocalizedText T::*field) {
  m[name] = [field](const T& from, T* to) { to->*field = from.*field; };
  m[name + ".ru"] = [field](const T& from, T* to) { (to->*field).ru = (from.*field).ru; };
  m[name + ".en"] = [field](const T& from, T* to) { (to->*field).en = (from.*field).en; };
}

template <typename T>
void AddContact(std::map<std::string, Copier<T>>& m, Contact T::*field) {
  m["contact"] = [field](const T& from, T* to) { to->*field = from.*field; };
  m["contact.email"] = [field](const T& from, T* to) { (to->*field).email = (from.*field).email; };
  m["contact.phone"] = [field](const T& from, T* to) { (to->*field).phone = (from.*field).phone; };
  m["contact.telegram"] = [field](const T& from, T* to) { (to->*field).telegram = (from.*field).telegram; };
  m["contact.website_uri"] = [field](const T& from, T* to) {
    (to->*field).website_uri = (from.*field).website_uri;
  };
}

template <typename T, typename V>
void AddPlain(std::map<std::string, Copier<T>>& m, const std::string& name, V T::*field) {
  m[name] = [field](const T& from, T* to) { to->*field = from.*field; };
}

const std::map<std::string, Copier<Hub>>& HubFields() {
  static const auto* fields = [] {
    auto* m = new std::map<std::string, Copier<Hub>>();
    AddText(*m, "title", &Hub::title);
    AddPlain(*m, "theme", &Hub::theme);
    AddText(*m, "theme_title", &Hub::theme_title);
    AddText(*m, "description", &Hub::description);
    AddContact(*m, &Hub::contact);
    AddPlain(*m, "participant_capacity", &Hub::participant_capacity);
    return m;
  }();
  return *fields;
}

const std::map<std::string, Copier<Expert>>& ExpertFields() {
  static const auto* fields = [] {
    auto* m = new std::map<std::string, Copier<Expert>>();
    AddText(*m, "full_name", &Expert::full_name);
    AddText(*m, "bio", &Expert::bio);
    AddPlain(*m, "topics", &Expert::topics);
    AddPlain(*m, "city", &Expert::city);
    AddPlain(*m, "time_zone", &Expert::time_zone);
    AddContact(*m, &Expert::contact);
    AddPlain(*m, "photo_uri", &Expert::photo_uri);
    AddPlain(*m, "subject", &Expert::subject);
    AddPlain(*m, "language", &Expert::language);
    AddPlain(*m, "weekly_availability", &Expert::weekly_availability);
    AddPlain(*m, "availability_exceptions", &Expert::availability_exceptions);
    return m;
  }();
  return *fields;
}

template <typename T>
absl::Status Apply(const std::map<std::string, Copier<T>>& fields, const std::vector<std::string>& paths,
                   const T& from, T* to) {
  bool all = paths.empty() || (paths.size() == 1 && paths[0] == "*");
  if (all) {
    for (const auto& [name, copy] : fields) {
      if (name.find('.') == std::string::npos) copy(from, to);
    }
    return absl::OkStatus();
  }
  std::vector<FieldViolation> bad;
  for (const std::string& path : paths) {
    if (fields.count(path) == 0) {
      std::vector<std::string> names;
      for (const auto& [name, copy] : fields) {
        if (name.find('.') == std::string::npos) names.push_back(name);
      }
      bad.push_back({"update_mask", absl::StrCat("\"", path, "\" is not a writable field; writable: ",
                                                 absl::StrJoin(names, ", "))});
    }
  }
  if (!bad.empty()) {
    const std::string message = bad.front().description;
    return InvalidArgumentError(message, std::move(bad));
  }
  for (const std::string& path : paths) fields.at(path)(from, to);
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyHubMask(const std::vector<std::string>& paths, const Hub& from, Hub* to) {
  return Apply(HubFields(), paths, from, to);
}

absl::Status ApplyExpertMask(const std::vector<std::string>& paths, const Expert& from, Expert* to) {
  return Apply(ExpertFields(), paths, from, to);
}

}  // namespace etnik::hubs
