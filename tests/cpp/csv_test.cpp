// RFC 4180 CSV (harness/report/csv.hpp): quoting, parsing, reading files, the flushing appender.
#include "harness/report/csv.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/temp_dir.hpp"

namespace concbench::csv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The message of the std::runtime_error `read_file(path)` throws (fails the test when it does not).
std::string read_file_error(const std::filesystem::path& path) {
  try {
    read_file(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "read_file(" << path << ") did not throw";
  return {};
}

// --- escape / format_record ---

TEST(CsvEscape, PlainFieldsAreLeftAlone) {
  EXPECT_EQ(escape("abc"), "abc");
  EXPECT_EQ(escape(""), "");
  EXPECT_EQ(escape("k=v;k=v"), "k=v;k=v");  // params and metrics need no quotes
  EXPECT_EQ(escape(" spaced "), " spaced ");
}

TEST(CsvEscape, CommaQuoteCrAndLfAreQuoted) {
  EXPECT_EQ(escape("a,b"), "\"a,b\"");
  EXPECT_EQ(escape("a\rb"), "\"a\rb\"");
  EXPECT_EQ(escape("a\nb"), "\"a\nb\"");
  EXPECT_EQ(escape("say \"hi\""), "\"say \"\"hi\"\"\"");  // quotes doubled
}

TEST(CsvFormatRecord, JoinsEscapedFieldsWithoutALineEnd) {
  EXPECT_EQ(format_record({"a", "b,c", "", "d\"e"}), "a,\"b,c\",,\"d\"\"e\"");
  EXPECT_EQ(format_record({}), "");
}

// --- parse ---

TEST(CsvParse, RecordsAndFields) {
  EXPECT_THAT(parse("a,b\n1,2\n"), ElementsAre(ElementsAre("a", "b"), ElementsAre("1", "2")));
}

TEST(CsvParse, LastRecordNeedsNoLineEndAndCrLfIsOneLineEnd) {
  EXPECT_THAT(parse("a,b\r\n1,2"), ElementsAre(ElementsAre("a", "b"), ElementsAre("1", "2")));
}

TEST(CsvParse, EmptyFieldsAreKept) {
  EXPECT_THAT(parse("a,,\n,b,\n"), ElementsAre(ElementsAre("a", "", ""), ElementsAre("", "b", "")));
}

TEST(CsvParse, QuotedFieldsHoldSeparatorsLineBreaksAndDoubledQuotes) {
  EXPECT_THAT(parse("\"x\ny\",\"1,2\"\n\"say \"\"hi\"\"\",\"a\r\nb\"\n"),
              ElementsAre(ElementsAre("x\ny", "1,2"), ElementsAre("say \"hi\"", "a\r\nb")));
}

TEST(CsvParse, EmptyQuotedFieldIsAnEmptyField) { EXPECT_THAT(parse("\"\",a\n"), ElementsAre(ElementsAre("", "a"))); }

TEST(CsvParse, EmptyDocumentHasNoRecords) { EXPECT_TRUE(parse("").empty()); }

TEST(CsvParse, UnterminatedQuoteThrows) {
  EXPECT_THROW(parse("a,\"never closed\n"), std::runtime_error);
  EXPECT_THROW(parse("\""), std::runtime_error);
}

TEST(CsvParse, TextAfterAClosingQuoteThrows) { EXPECT_THROW(parse("\"a\"b,c\n"), std::runtime_error); }

TEST(CsvParse, QuoteInsideAnUnquotedFieldThrows) { EXPECT_THROW(parse("ab\"c\",d\n"), std::runtime_error); }

TEST(CsvParse, ErrorNamesTheLine) {
  try {
    parse("a\nb\n\"x\"y\n");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 3"));
  }
}

TEST(CsvParse, RoundTripsArbitraryFields) {
  // Fields drawn from the characters that matter to CSV, many times over: whatever is written reads back.
  const std::string alphabet = "ab ,\"\r\n;=\t";
  std::mt19937 random(12345);  // fixed seed: the same documents every run
  std::vector<Fields> records;
  std::string document;
  for (int r = 0; r < 300; ++r) {
    Fields record(1 + random() % 5);
    for (auto& field : record) {
      const auto length = random() % 8;
      for (unsigned i = 0; i < length; ++i) field += alphabet[random() % alphabet.size()];
    }
    document += format_record(record) + "\n";
    records.push_back(std::move(record));
  }
  EXPECT_EQ(parse(document), records);
}

// --- read_file ---

TEST(CsvReadFile, RowsAreKeyedByHeaderColumn) {
  testing::TempDir dir;
  write_text(dir / "t.csv", "name,note\nx,\"a,b\"\ny,\n");
  const auto table = read_file(dir / "t.csv");
  EXPECT_THAT(table.header, ElementsAre("name", "note"));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].at("name"), "x");
  EXPECT_EQ(table.rows[0].at("note"), "a,b");
  EXPECT_EQ(table.rows[1].at("note"), "");
}

TEST(CsvReadFile, HeaderOnlyFileHasNoRows) {
  testing::TempDir dir;
  write_text(dir / "t.csv", "a,b\n");
  EXPECT_TRUE(read_file(dir / "t.csv").rows.empty());
}

TEST(CsvReadFile, MissingFileErrorNamesTheFile) {
  testing::TempDir dir;
  EXPECT_THAT(read_file_error(dir / "absent.csv"), HasSubstr("absent.csv"));
}

TEST(CsvReadFile, EmptyFileErrorNamesTheFile) {
  testing::TempDir dir;
  write_text(dir / "empty.csv", "");
  EXPECT_THAT(read_file_error(dir / "empty.csv"), HasSubstr("empty.csv"));
}

TEST(CsvReadFile, RaggedRecordErrorNamesTheFile) {
  testing::TempDir dir;
  write_text(dir / "ragged.csv", "a,b\n1,2\n3\n");
  const auto message = read_file_error(dir / "ragged.csv");
  EXPECT_THAT(message, HasSubstr("ragged.csv"));
  EXPECT_THAT(message, HasSubstr("record 3"));
}

TEST(CsvReadFile, MalformedCsvErrorNamesTheFile) {
  testing::TempDir dir;
  write_text(dir / "bad.csv", "a,b\n\"open,2\n");
  EXPECT_THAT(read_file_error(dir / "bad.csv"), HasSubstr("bad.csv"));
}

// --- Appender ---

TEST(CsvAppender, NewFileGetsTheHeaderOnceAcrossReopens) {
  testing::TempDir dir;
  const auto path = dir / "r.csv";
  {
    Appender appender(path, {"a", "b"});
    appender.append({{"a", "1"}, {"b", "x,y"}});
  }
  {
    Appender appender(path, {"a", "b"});  // a resumed run reopens its file
    appender.append({{"a", "2"}});
  }
  EXPECT_EQ(read_text(path), "a,b\n1,\"x,y\"\n2,\n");
}

TEST(CsvAppender, ExistingEmptyFileGetsTheHeader) {
  testing::TempDir dir;
  write_text(dir / "r.csv", "");  // what RunDirectory::create leaves behind
  Appender appender(dir / "r.csv", {"a"});
  EXPECT_EQ(read_text(dir / "r.csv"), "a\n");
}

TEST(CsvAppender, EachRowIsVisibleToAnotherReaderAtOnce) {
  // Rows are flushed as they are appended: a killed run keeps every finished row.
  testing::TempDir dir;
  const auto path = dir / "r.csv";
  Appender appender(path, {"cell", "status"});
  EXPECT_TRUE(read_file(path).rows.empty());
  appender.append({{"cell", "1"}, {"status", "ok"}});
  auto table = read_file(path);
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].at("status"), "ok");
  appender.append({{"cell", "2"}, {"status", "timeout"}});
  table = read_file(path);
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[1].at("status"), "timeout");
}

TEST(CsvAppender, RefusesAnExistingFileWithAnotherHeader) {
  testing::TempDir dir;
  write_text(dir / "r.csv", "a,b\n1,2\n");
  EXPECT_THROW(Appender(dir / "r.csv", {"a", "c"}), std::runtime_error);
  EXPECT_EQ(read_text(dir / "r.csv"), "a,b\n1,2\n");  // untouched
}

TEST(CsvAppender, UnknownColumnIsALogicErrorAndWritesNothing) {
  testing::TempDir dir;
  Appender appender(dir / "r.csv", {"a"});
  EXPECT_THROW(appender.append({{"a", "1"}, {"typo", "2"}}), std::logic_error);
  EXPECT_EQ(read_text(dir / "r.csv"), "a\n");
}

TEST(CsvAppender, UnwritableFileThrows) {
  testing::TempDir dir;
  EXPECT_THROW(Appender(dir / "no-such-dir" / "r.csv", {"a"}), std::runtime_error);
}

TEST(ReadFile, ATornLastRowIsRefusedOrDroppedAsAsked) {
  testing::TempDir dir;
  const auto path = dir / "torn.csv";
  write_text(path, "a,b\n1,2\n3");  // the last write stopped half-way
  EXPECT_THROW(read_file(path), std::runtime_error);
  const auto table = read_file(path, TornTail::drop);
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].at("b"), "2");
  write_text(path, "a,b\n1,\"open quote");  // torn inside a quoted field: dropped too
  EXPECT_EQ(read_file(path, TornTail::drop).rows.size(), 0u);
  write_text(path, "a,b\n1,2\n");  // whole rows are kept either way
  EXPECT_EQ(read_file(path, TornTail::drop).rows.size(), 1u);
}

}  // namespace
}  // namespace concbench::csv
