// The notification template language and its validator (what CreateTemplate / UpdateTemplate
// check). Properties:
//   - ValidateTemplate never crashes; every violation names a template field and says, in
//     UTF-8, what is wrong;
//   - a text CheckText accepts renders (plain and HTML) without an error;
//   - the HTML rendering never lets a substituted value's markup through: with values full of
//     markup it holds no more '<' than the template text itself.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "etnik/notifications/v1/template.pb.h"
#include "fuzz/fuzz_input.h"
#include "services/notifications/domain/template_engine.h"

namespace {

using etnik::fuzz::FuzzInput;
namespace notif = etnik::notifications;

constexpr const char* kTexts[] = {"",
                                  "Здравствуйте, {{participant_name}}!",
                                  "{{#if online}}Ссылка: {{join_uri}}{{else}}Адрес: {{address}}{{/if}}",
                                  "{{#if a}}{{#if b}}x{{/if}}{{/if}}",
                                  "{{",
                                  "}}",
                                  "{{#if}}",
                                  "{{/if}}",
                                  "{{else}}",
                                  "{{ session_title }}",
                                  "{{#each items}}{{/each}}",
                                  "<b>{{session_title}}</b>"};
constexpr const char* kVars[] = {"participant_name", "session_title", "join_uri", "address", "online", "a", "b",
                                 "", "event_title", "start_time"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  const std::vector<std::string> types = notif::KnownEventTypes();
  etnik::notifications::v1::Template t;
  t.set_event_type(in.Bool() && !types.empty() ? types[in.Byte() % types.size()] : in.Bytes(40));
  t.set_subject(in.Text(kTexts, 80));
  std::string body;
  for (int parts = in.Byte() % 6; parts > 0; --parts) body += in.Text(kTexts, 40);
  t.set_body(body + in.Rest());

  // Requests are UTF-8 (proto3 parsing refuses anything else); so must the answers be.
  const bool utf8 = etnik::fuzz::IsUtf8(t.event_type()) && etnik::fuzz::IsUtf8(t.subject()) &&
                    etnik::fuzz::IsUtf8(t.body());
  for (const etnik::FieldViolation& v : notif::ValidateTemplate(t)) {
    FUZZ_CHECK(absl::StartsWith(v.field, "template."));
    FUZZ_CHECK(!v.description.empty());
    if (utf8) FUZZ_CHECK(etnik::fuzz::IsUtf8(v.description));
  }

  std::map<std::string, std::string> vars;
  for (const char* name : kVars) vars[name] = "<script>alert('x')</script> & \"{{a}}\"";
  for (const std::string* text : {&t.subject(), &t.body()}) {
    const bool valid = notif::CheckText("template.body", *text, nullptr).empty();
    auto plain = notif::Render(*text, vars);
    auto html = notif::RenderHtml(*text, vars);
    if (valid) FUZZ_CHECK(plain.ok() && html.ok());
    if (html.ok()) {
      FUZZ_CHECK(std::count(html->begin(), html->end(), '<') <= std::count(text->begin(), text->end(), '<'));
    }
  }
  return 0;
}
