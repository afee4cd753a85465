#include "services/registration/domain/csv.h"

#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

TEST(CsvLineTest, PlainCellsAndCrlf) {
  EXPECT_EQ(CsvLine({"7707083893", "RU-SMO", ""}), "7707083893,RU-SMO,\r\n");
  EXPECT_EQ(CsvLine({}), "\r\n");
}

TEST(CsvLineTest, KeepsCyrillicIntact) {
  EXPECT_EQ(CsvLine({"АНО «Ресурсный центр»", "Смоленск"}), "АНО «Ресурсный центр»,Смоленск\r\n");
}

TEST(CsvLineTest, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvLine({"Иванова, Мария"}), "\"Иванова, Мария\"\r\n");
  EXPECT_EQ(CsvLine({"АНО \"Ресурсный центр\""}), "\"АНО \"\"Ресурсный центр\"\"\"\r\n");
  EXPECT_EQ(CsvLine({"строка 1\nстрока 2", "a\r\nb"}), "\"строка 1\nстрока 2\",\"a\r\nb\"\r\n");
}

TEST(CsvLineTest, NeutralisesFormulas) {
  EXPECT_EQ(CsvLine({"=HYPERLINK(\"http://evil\")"}), "\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n");
  EXPECT_EQ(CsvLine({"+7 4812 00-00-00"}), "'+7 4812 00-00-00\r\n");
  EXPECT_EQ(CsvLine({"-2+3"}), "'-2+3\r\n");
  EXPECT_EQ(CsvLine({"@SUM(A1)"}), "'@SUM(A1)\r\n");
  EXPECT_EQ(CsvLine({"\t=1"}), "'\t=1\r\n");
  EXPECT_EQ(CsvLine({"a=1"}), "a=1\r\n");  // only the first character matters
}

}  // namespace
}  // namespace etnik::registration
