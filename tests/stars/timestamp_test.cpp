#include "hubguard/stars/timestamp.hpp"

#include <gtest/gtest.h>

namespace hubguard::stars {
namespace {

TEST(Timestamp, ParsesEventsApiUtc) {
  EXPECT_EQ(parse_timestamp("2015-01-01T12:00:01Z"), 1420113601);
  EXPECT_EQ(parse_timestamp("2015-01-01T12:00:01.123Z"), 1420113601);
  EXPECT_EQ(parse_timestamp("2015-01-01 12:00:01"), 1420113601);  // extracts (no offset = UTC)
}

TEST(Timestamp, ParsesTimelineOffsetsToUtc) {
  EXPECT_EQ(parse_timestamp("2012-03-10T15:27:06-08:00"), 1331422026);
  EXPECT_EQ(parse_timestamp("2012/03/18 00:00:05 -0700"), 1332054005);
  EXPECT_EQ(parse_timestamp("2012-03-18T09:00:05+0200"), 1332054005);
}

TEST(Timestamp, RejectsMalformed) {
  for (const char* bad : {"", "2015-01-01", "2015-13-01T00:00:00Z", "2015-02-29T00:00:00Z",
                          "2015-01-01T24:00:00Z", "2015-01-01T12:00:01Zjunk", "2015-01-01T12:00:01+8",
                          "2015-01-01X12:00:01Z", "20a5-01-01T12:00:01Z", "2015-01/01T12:00:01Z"})
    EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
}

TEST(Timestamp, LeapDayAndNegativeEpoch) {
  EXPECT_EQ(parse_timestamp("2016-02-29T00:00:00Z"), 1456704000);
  EXPECT_EQ(parse_timestamp("1969-12-31T23:59:59Z"), -1);
}

TEST(Timestamp, FormatRoundTrips) {
  for (const char* s : {"2015-01-01T12:00:01Z", "2016-02-29T23:59:59Z", "1970-01-01T00:00:00Z",
                        "2024-12-31T00:00:00Z", "1969-12-31T23:59:59Z"}) {
    auto t = parse_timestamp(s);
    ASSERT_TRUE(t.has_value()) << s;
    EXPECT_EQ(format_iso8601_utc(*t), s);
  }
}

TEST(Timestamp, WindowBounds) {
  EXPECT_EQ(parse_window_bound("2015"), parse_timestamp("2015-01-01T00:00:00Z"));
  EXPECT_EQ(parse_window_bound("2015-03"), parse_timestamp("2015-03-01T00:00:00Z"));
  EXPECT_EQ(parse_window_bound("2015-03-07"), parse_timestamp("2015-03-07T00:00:00Z"));
  EXPECT_FALSE(parse_window_bound("2015-3").has_value());
  EXPECT_FALSE(parse_window_bound("2015-02-30").has_value());
}

}  // namespace
}  // namespace hubguard::stars
