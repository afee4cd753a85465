#include "tools/etnikctl/messages.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace etnik::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const FieldDescriptor* FindField(const Descriptor* d, const std::string& key) {
  const FieldDescriptor* f = d->FindFieldByName(key);
  return f != nullptr ? f : d->FindFieldByCamelcaseName(key);
}

// A copy of `m` holding only `keep`.
std::unique_ptr<Message> Only(const Message& m, const FieldDescriptor* keep) {
  std::unique_ptr<Message> out(m.New());
  out->CopyFrom(m);
  for (int i = 0; i < m.GetDescriptor()->field_count(); ++i) {
    const FieldDescriptor* f = m.GetDescriptor()->field(i);
    if (f != keep) out->GetReflection()->ClearField(out.get(), f);
  }
  return out;
}

// Clears sub-messages with nothing in them ("description": {}), which the services keep for
// texts never written; leaving them out reads better and imports the same.
void PruneEmpty(Message* m) {
  const google::protobuf::Reflection* r = m->GetReflection();
  std::vector<const FieldDescriptor*> set;
  r->ListFields(*m, &set);
  for (const FieldDescriptor* f : set) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(*m, f); ++i) PruneEmpty(r->MutableRepeatedMessage(m, f, i));
      continue;
    }
    // A set oneof member or a time says something even when empty.
    if (f->containing_oneof() != nullptr || f->message_type()->file()->name().rfind("google/protobuf/", 0) == 0) continue;
    Message* sub = r->MutableMessage(m, f);
    PruneEmpty(sub);
    if (sub->ByteSizeLong() == 0) r->ClearField(m, f);
  }
}

}  // namespace

std::string FileJson(const Message& m, const std::vector<std::string>& drop, int indent) {
  std::unique_ptr<Message> copy(m.New());
  copy->CopyFrom(m);
  for (const std::string& name : drop) {
    const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
    if (f != nullptr) copy->GetReflection()->ClearField(copy.get(), f);
  }
  PruneEmpty(copy.get());
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(*copy, &json, options);
  while (!json.empty() && json.back() == '\n') json.pop_back();
  return absl::StrReplaceAll(json, {{"\n", absl::StrCat("\n", std::string(indent, ' '))}});
}

std::string JsonString(const std::string& s) {
  google::protobuf::Value v;
  v.set_string_value(s);
  std::string json;
  google::protobuf::util::MessageToJsonString(v, &json);
  return json;
}

std::vector<std::string> ChangedFields(const google::protobuf::Struct& written, const Message& want,
                                       const Message& have) {
  std::vector<std::string> changed;
  for (int i = 0; i < want.GetDescriptor()->field_count(); ++i) {
    const FieldDescriptor* f = want.GetDescriptor()->field(i);
    bool set_in_file = false;
    for (const auto& [key, value] : written.fields()) set_in_file |= FindField(want.GetDescriptor(), key) == f;
    if (!set_in_file) continue;
    if (!google::protobuf::util::MessageDifferencer::Equals(*Only(want, f), *Only(have, f))) {
      changed.push_back(f->name());
    }
  }
  return changed;
}

std::string FieldJson(const Message& m, const std::string& field) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(field);
  if (f == nullptr) return "?";
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(*Only(m, f), &json, options);
  // {"field":value} -> value
  const std::string prefix = absl::StrCat("{\"", field, "\":");
  if (json.rfind(prefix, 0) == 0 && json.size() > prefix.size()) return json.substr(prefix.size(), json.size() - prefix.size() - 1);
  return "(unset)";
}

}  // namespace etnik::ctl
