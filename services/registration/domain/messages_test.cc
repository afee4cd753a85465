#include "services/registration/domain/messages.h"

#include <set>

#include "gtest/gtest.h"
#include "services/registration/domain/formats.h"

namespace etnik::registration {
namespace {

TEST(LanguageTest, ParsesAcceptLanguage) {
  EXPECT_EQ(LanguageFromTag("en"), Language::kEnglish);
  EXPECT_EQ(LanguageFromTag("en-US,en;q=0.9"), Language::kEnglish);
  EXPECT_EQ(LanguageFromTag("EN-gb"), Language::kEnglish);
  EXPECT_EQ(LanguageFromTag("de-DE, en;q=0.5"), Language::kEnglish);
  EXPECT_EQ(LanguageFromTag(""), Language::kRussian);
  EXPECT_EQ(LanguageFromTag("ru"), Language::kRussian);
  EXPECT_EQ(LanguageFromTag("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"), Language::kRussian);
  EXPECT_EQ(LanguageFromTag("fr"), Language::kRussian);
  EXPECT_EQ(LanguageFromTag("*"), Language::kRussian);
  EXPECT_EQ(LanguageFromTag("english"), Language::kRussian);
}

TEST(LanguageTest, FromProtoAndLocalizedText) {
  EXPECT_EQ(LanguageFromProto(etnik::common::v1::LANGUAGE_EN), Language::kEnglish);
  EXPECT_EQ(LanguageFromProto(etnik::common::v1::LANGUAGE_RU), Language::kRussian);
  EXPECT_EQ(LanguageFromProto(etnik::common::v1::LANGUAGE_UNSPECIFIED), Language::kRussian);
  etnik::common::v1::LocalizedText text;
  text.set_ru("Регион");
  EXPECT_EQ(Localized(text, Language::kEnglish), "Регион");  // falls back to Russian
  text.set_en("Region");
  EXPECT_EQ(Localized(text, Language::kEnglish), "Region");
  EXPECT_EQ(Localized(text, Language::kRussian), "Регион");
  text.clear_ru();
  EXPECT_EQ(Localized(text, Language::kRussian), "Region");
}

TEST(MessagesTest, EveryKeyHasDistinctRussianAndEnglishText) {
  std::vector<MessageKey> keys = AllMessageKeys();
  EXPECT_EQ(keys.size(), static_cast<size_t>(MessageKey::kCount));
  std::set<std::string> ru_seen;
  std::set<std::string> en_seen;
  for (MessageKey key : keys) {
    std::string ru = Message(key, Language::kRussian);
    std::string en = Message(key, Language::kEnglish);
    EXPECT_FALSE(ru.empty()) << static_cast<int>(key);
    EXPECT_FALSE(en.empty()) << static_cast<int>(key);
    EXPECT_NE(ru, en) << static_cast<int>(key);
    EXPECT_TRUE(Utf8Length(ru).has_value());
    EXPECT_TRUE(ru_seen.insert(ru).second) << "duplicate Russian text: " << ru;
    EXPECT_TRUE(en_seen.insert(en).second) << "duplicate English text: " << en;
    // Russian text is Russian: it has Cyrillic letters (UTF-8 lead bytes D0/D1).
    EXPECT_NE(ru.find_first_of("\xD0\xD1"), std::string::npos) << ru;
  }
}

TEST(MessagesTest, SubstitutesPlaceholders) {
  EXPECT_EQ(Message(MessageKey::kAnswerRequired, Language::kRussian, {{"question", "Регион"}}),
            "Ответьте на вопрос «Регион».");
  EXPECT_EQ(Message(MessageKey::kAnswerRequired, Language::kEnglish, {{"question", "Region"}}),
            "Please answer the question \"Region\".");
  // A placeholder without an argument stays visible rather than vanishing.
  EXPECT_EQ(Message(MessageKey::kAnswerRequired, Language::kEnglish), "Please answer the question \"{question}\".");
  // Values containing braces are not substituted again.
  EXPECT_EQ(Message(MessageKey::kInvalidInn, Language::kEnglish, {{"value", "{value}"}}).find("{value}"), 5u);
}

}  // namespace
}  // namespace etnik::registration
