#include "services/registration/domain/violations.h"

#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

TEST(ViolationsStatusTest, OkWhenNone) { EXPECT_TRUE(ViolationsStatus({}, Language::kRussian).ok()); }

TEST(ViolationsStatusTest, InvalidArgumentWithEveryViolation) {
  absl::Status s = ViolationsStatus({{"application.organisation.inn", "ИНН неверен"},
                                     {"answers[region]", "Ответьте на вопрос «Регион»."}},
                                    Language::kRussian);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Проверьте данные: ошибок — 2.");
  std::vector<FieldViolation> back = GetFieldViolations(s);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].field, "application.organisation.inn");
  EXPECT_EQ(back[1].description, "Ответьте на вопрос «Регион».");
  EXPECT_EQ(ViolationsStatus({{"a", "b"}}, Language::kEnglish).message(), "Please check the data: 1 error(s).");
}

}  // namespace
}  // namespace etnik::registration
