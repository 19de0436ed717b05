// Params and parse_int (harness/core/params.hpp): the canonical `k=v;k=v` text that identifies a cell.
#include "harness/core/params.hpp"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace concbench {
namespace {

using ::testing::HasSubstr;

TEST(Params, CanonicalSortsKeysWhateverTheInsertionOrder) {
  Params params;
  params.set("work", "10");
  params.set("items", "64");
  params.set("capacity", "1");
  EXPECT_EQ(params.canonical(), "capacity=1;items=64;work=10");
}

TEST(Params, EmptyParamsHaveEmptyCanonicalText) {
  EXPECT_EQ(Params{}.canonical(), "");
  EXPECT_TRUE(Params::parse("").empty());
}

TEST(Params, SetReplacesAnEarlierValue) {
  Params params;
  params.set("items", "1");
  params.set("items", "2");
  EXPECT_EQ(params.canonical(), "items=2");
}

TEST(Params, ParseAcceptsAnyOrderAndRoundTripsThroughCanonical) {
  const auto params = Params::parse("work=10;items=64");
  EXPECT_EQ(params.canonical(), "items=64;work=10");
  EXPECT_EQ(Params::parse(params.canonical()), params);
  EXPECT_EQ(params.get("work"), "10");
  EXPECT_EQ(params.get_int("items"), 64);
}

TEST(Params, ParseKeepsAnEmptyValue) {
  const auto params = Params::parse("a=");
  ASSERT_TRUE(params.has("a"));
  EXPECT_EQ(params.get("a"), "");
}

TEST(Params, MalformedTextThrows) {
  for (const char* text : {"items", "=64", "items=64;work", "items=64;;work=1", ";items=64"}) {
    EXPECT_THROW(Params::parse(text), std::invalid_argument) << text;
  }
}

TEST(Params, GetOfAMissingKeyNamesTheKey) {
  try {
    Params{}.get("capacity");
    FAIL() << "no exception";
  } catch (const std::out_of_range& e) {
    EXPECT_THAT(e.what(), HasSubstr("capacity"));
  }
}

TEST(Params, GetIntOfANonIntegerThrows) {
  EXPECT_THROW(Params::parse("items=many").get_int("items"), std::invalid_argument);
}

TEST(ParseInt, AcceptsWholeDecimalIntegers) {
  EXPECT_EQ(parse_int("0", "n"), 0);
  EXPECT_EQ(parse_int("-12", "n"), -12);
  EXPECT_EQ(parse_int("9223372036854775807", "n"), 9223372036854775807);
}

TEST(ParseInt, RejectsAnythingElseNamingTheInput) {
  for (const char* text : {"", " 1", "1 ", "1x", "1.5", "0x10", "99999999999999999999"}) {
    try {
      parse_int(text, "items");
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr("items")) << text;
    }
  }
}

}  // namespace
}  // namespace concbench
