#include "services/notifications/domain/template_engine.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace etnik::notifications {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Template Make(const std::string& subject, const std::string& body,
                  const std::string& event_type = "etnik.events.v1.SessionBooked") {
  v1::Template t;
  t.set_event_type(event_type);
  t.set_channel(etnik::common::v1::CHANNEL_EMAIL);
  t.set_language(etnik::common::v1::LANGUAGE_RU);
  t.set_subject(subject);
  t.set_body(body);
  return t;
}

// The single violation of a template, or a failure.
FieldViolation Only(const v1::Template& t) {
  std::vector<FieldViolation> v = ValidateTemplate(t);
  if (v.size() != 1u) {
    ADD_FAILURE() << v.size() << " violations";
    for (const auto& x : v) ADD_FAILURE() << x.field << ": " << x.description;
  }
  return v.empty() ? FieldViolation{} : v.front();
}

TEST(TemplateEngine, ValidTemplatePasses) {
  EXPECT_THAT(ValidateTemplate(Make("Забронировано: {{session_title}}",
                                    "Здравствуйте, {{ recipient_name }}!\n{{#if location}}Место: "
                                    "{{location}}{{else}}онлайн{{/if}}\n")),
              IsEmpty());
}

TEST(TemplateEngine, EveryErrorCaseIsRefusedWithItsField) {
  struct Case {
    std::string subject, body, field, message;
  };
  const Case cases[] = {
      {"Тема", "{{unknown_thing}}", "template.body", "unknown variable 'unknown_thing'"},
      {"{{nope}}", "тело", "template.subject", "unknown variable 'nope'"},
      {"Тема", "{{#if reason}}x{{/if}}", "template.body", "unknown variable 'reason'"},  // not for SessionBooked
      {"Тема", "{{#if location}}x", "template.body", "never closed"},
      {"Тема", "x{{/if}}", "template.body", "without an open"},
      {"Тема", "{{else}}", "template.body", "outside"},
      {"Тема", "{{#if location}}a{{else}}b{{else}}c{{/if}}", "template.body", "second '{{else}}'"},
      {"Тема", "Здравствуйте, {{recipient_name", "template.body", "without a closing"},
      {"Тема", "{{recipient_name {{session_title}}", "template.body", "without a closing"},
      {"Тема", "{{#each hosts}}x", "template.body", "unknown block"},
      {"Тема", "{{#if}}x", "template.body", "needs one variable name"},
      {"Тема", "{{#if a b}}x", "template.body", "needs one variable name"},
      {"Тема", "{{/each}}", "template.body", "unknown closing tag"},
      {"Тема", "{{Recipient-Name}}", "template.body", "not a variable name"},
      {"Тема", "{{}}", "template.body", "not a variable name"},
      {"Тема", "{{{recipient_name}}}", "template.body", "not a variable name"},
      {"", "тело", "template.subject", "needs a subject"},
      {"Тема\nBcc: x@y", "тело", "template.subject", "one line"},
      {"Тема", "  \n", "template.body", "must not be empty"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.subject + " / " + c.body);
    const FieldViolation v = Only(Make(c.subject, c.body));
    EXPECT_EQ(v.field, c.field);
    EXPECT_THAT(v.description, HasSubstr(c.message));
  }
}

TEST(TemplateEngine, ErrorsNameTheLine) {
  const FieldViolation v = Only(Make("Тема", "строка 1\nстрока 2 {{bad_var}}\n"));
  EXPECT_THAT(v.description, HasSubstr("line 2"));
}

TEST(TemplateEngine, AllErrorsAreReportedAtOnce) {
  EXPECT_EQ(ValidateTemplate(Make("{{a1}}", "{{b1}} {{#if c1}}")).size(), 4u);  // a1, b1, c1, unclosed
}

TEST(TemplateEngine, UnknownEventTypeIsRefused) {
  const std::vector<FieldViolation> v = ValidateTemplate(Make("Тема", "тело", "etnik.events.v1.Nope"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "template.event_type");
}

TEST(TemplateEngine, TelegramTemplateMayHaveNoSubject) {
  v1::Template t = Make("", "{{session_title}}");
  t.set_channel(etnik::common::v1::CHANNEL_TELEGRAM);
  EXPECT_THAT(ValidateTemplate(t), IsEmpty());
}

TEST(TemplateEngine, AllowedVariablesDependOnTheEvent) {
  const auto booked = AllowedVariables("etnik.events.v1.SessionBooked");
  EXPECT_THAT(booked, Contains("recipient_name"));
  EXPECT_THAT(booked, Contains("session_title"));
  EXPECT_THAT(booked, Contains("start_local"));
  EXPECT_THAT(booked, Contains("start_event_zone"));
  EXPECT_TRUE(std::is_sorted(booked.begin(), booked.end()));
  EXPECT_EQ(AllowedVariables("SessionBooked"), booked);
  const auto offer = AllowedVariables("etnik.events.v1.OfferMade");
  EXPECT_THAT(offer, Contains("reply_deadline"));
  EXPECT_THAT(offer, ::testing::Not(Contains("session_title")));
  EXPECT_THAT(AllowedVariables(kReminderEventType), Contains("time_until"));
  EXPECT_THAT(AllowedVariables("etnik.events.v1.AttendeeCheckedIn"), IsEmpty());
  for (const std::string& type : KnownEventTypes()) EXPECT_THAT(AllowedVariables(type), ::testing::Not(IsEmpty())) << type;
}

TEST(TemplateEngine, RendersRussianTextAndConditions) {
  const std::map<std::string, std::string> vars = {
      {"recipient_name", "Анна Петрова"}, {"session_title", "Мастер-класс «Гранты»"}, {"location", ""}};
  auto out = Render("Здравствуйте, {{recipient_name}}!\n«{{ session_title }}»{{#if location}} в {{location}}"
                    "{{else}} онлайн{{/if}}.{{#if missing}}никогда{{/if}}",
                    vars);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "Здравствуйте, Анна Петрова!\n«Мастер-класс «Гранты»» онлайн.");
}

TEST(TemplateEngine, NestedConditions) {
  const std::string text = "{{#if a}}A{{#if b}}B{{else}}b{{/if}}{{else}}{{#if b}}X{{else}}Y{{/if}}{{/if}}";
  auto r = [&](std::string a, std::string b) { return *Render(text, {{"a", a}, {"b", b}}); };
  EXPECT_EQ(r("1", "1"), "AB");
  EXPECT_EQ(r("1", ""), "Ab");
  EXPECT_EQ(r("", "1"), "X");
  EXPECT_EQ(r("", ""), "Y");
  EXPECT_EQ(r("false", "true"), "X");
}

TEST(TemplateEngine, ValuesAreNeverInterpreted) {
  auto out = Render("{{recipient_name}}", {{"recipient_name", "{{session_title}} <b>&"}, {"session_title", "X"}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "{{session_title}} <b>&");  // plain text: no escaping, no second pass
  auto html = RenderHtml("<p>{{recipient_name}}</p>", {{"recipient_name", "<script>\"x\" & 'y'"}});
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(*html, "<p>&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;</p>");
}

TEST(TemplateEngine, RenderRefusesBrokenSyntax) {
  EXPECT_EQ(Render("{{#if a}}", {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Render("{{a", {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*Render("a }} b { c", {}), "a }} b { c");  // lone braces are text
}

}  // namespace
}  // namespace etnik::notifications
