#include "common/outbox/stream_event.h"

#include "absl/strings/str_cat.h"

namespace etnik::outbox {

const std::string* StreamEntry::Field(const std::string& name) const {
  for (const auto& [field, value] : fields) {
    if (field == name) return &value;
  }
  return nullptr;
}

absl::StatusOr<std::vector<StreamEntry>> ParseEntries(const redis::Reply& entries) {
  if (entries.is_nil()) return std::vector<StreamEntry>{};
  if (!entries.is_array()) {
    return absl::InternalError(absl::StrCat("stream entries: expected an array, got ",
                                            redis::DebugString(entries)));
  }
  std::vector<StreamEntry> out;
  out.reserve(entries.elements.size());
  for (const redis::Reply& e : entries.elements) {
    if (!e.is_array() || e.elements.size() != 2 || !e.elements[0].is_string()) {
      return absl::InternalError(absl::StrCat("stream entry: unexpected shape ", redis::DebugString(e)));
    }
    StreamEntry entry;
    entry.id = e.elements[0].str;
    const redis::Reply& fields = e.elements[1];
    if (fields.is_nil()) {
      entry.deleted = true;
    } else if (!fields.is_array() || fields.elements.size() % 2 != 0) {
      return absl::InternalError(absl::StrCat("stream entry ", entry.id, ": unexpected fields ",
                                              redis::DebugString(fields)));
    } else {
      for (size_t i = 0; i < fields.elements.size(); i += 2) {
        entry.fields.emplace_back(fields.elements[i].str, fields.elements[i + 1].str);
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

absl::StatusOr<StreamEvent> ToStreamEvent(const std::string& stream, const StreamEntry& entry) {
  if (entry.deleted) {
    return absl::InvalidArgumentError(absl::StrCat("entry ", entry.id, " of ", stream, " was deleted"));
  }
  const std::string* event_id = entry.Field(kFieldEventId);
  if (event_id == nullptr || event_id->empty()) {
    return absl::InvalidArgumentError(absl::StrCat("entry ", entry.id, " of ", stream, " has no event_id"));
  }
  StreamEvent event;
  event.stream = stream;
  event.entry_id = entry.id;
  event.event_id = *event_id;
  if (const std::string* type = entry.Field(kFieldType)) event.type = *type;
  if (const std::string* payload = entry.Field(kFieldPayload)) event.payload = *payload;
  return event;
}

}  // namespace etnik::outbox
