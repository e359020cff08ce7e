#include <gtest/gtest.h>

#include <fstream>

#include "hubguard/stars/csv_line.hpp"
#include "hubguard/stars/detection_input_builder.hpp"
#include "hubguard/stars/extract_reader.hpp"
#include "hubguard/stars/extract_sql.hpp"
#include "hubguard/stars/timestamp.hpp"
#include "stars_test_support.hpp"

namespace hubguard::stars {
namespace {

using testing::TempDir;
using testing::write_file;

TEST(CsvLine, QuotedFieldsAndErrors) {
  std::vector<std::string> f;
  ASSERT_TRUE(split_csv_line(R"(a,"b,c","say ""hi""",,)", f));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,c", "say \"hi\"", "", ""}));
  ASSERT_TRUE(split_csv_line("x\r", f));
  EXPECT_EQ(f, (std::vector<std::string>{"x"}));
  EXPECT_FALSE(split_csv_line(R"(a,"open)", f));
  EXPECT_FALSE(split_csv_line(R"("a"b,c)", f));
}

TEST(ExtractSql, BigQueryPrunesTablesToTheWindow) {
  ExtractSqlOptions o;
  o.from_month = "2019-07";
  o.to_month = "2025-02";
  auto sql = extract_sql(o);
  ASSERT_TRUE(sql.ok()) << sql.error().message;
  EXPECT_NE(sql->find("`githubarchive.month.*`"), std::string::npos);
  EXPECT_NE(sql->find("_TABLE_SUFFIX BETWEEN '201907' AND '202501'"), std::string::npos);  // Jan 2025 is the last
  EXPECT_NE(sql->find("created_at < TIMESTAMP('2025-02-01 00:00:00')"), std::string::npos);
  EXPECT_NE(sql->find("JSON_EXTRACT_SCALAR(payload, '$.action') = 'started'"), std::string::npos);
  EXPECT_NE(sql->find("stars.csv"), std::string::npos);
  EXPECT_NE(sql->find("activity.csv"), std::string::npos);
}

TEST(ExtractSql, ClickHouseAndBadArguments) {
  ExtractSqlOptions o;
  o.engine = SqlEngine::kClickHouse;
  o.from_month = "2024-12";
  o.to_month = "2025-01";
  auto sql = extract_sql(o);
  ASSERT_TRUE(sql.ok());
  EXPECT_NE(sql->find("FROM github_events"), std::string::npos);
  EXPECT_NE(sql->find("toDateTime('2025-01-01 00:00:00', 'UTC')"), std::string::npos);
  EXPECT_NE(sql->find("FORMAT CSVWithNames"), std::string::npos);
  o.to_month = "2024-12";
  EXPECT_FALSE(extract_sql(o).ok());  // empty window
  o.to_month = "2025-13";
  EXPECT_FALSE(extract_sql(o).ok());
  o.to_month = "2025-02";
  o.table = "github_events; DROP TABLE x";
  EXPECT_FALSE(extract_sql(o).ok());
}

// Writes the extract a correct SQL run would produce for `in`.
void write_extract(const DetectionInput& in, const std::filesystem::path& dir, bool space_time) {
  auto when = [&](std::int64_t t) {
    std::string s = format_iso8601_utc(t);
    if (space_time) {  // ClickHouse's toString: "YYYY-MM-DD HH:MM:SS"
      s[10] = ' ';
      s.pop_back();
    }
    return s;
  };
  std::string stars = "actor,repo,created_at\n";
  for (const Star& s : in.stars)
    stars += "\"" + std::string(in.actors.name(s.actor)) + "\"," + std::string(in.repos.name(s.repo)) + "," + when(s.time) + "\n";
  // Columns in another order plus an extra one: found by header name.
  std::string act = "events,actor,extra,first_time,last_time,distinct_times,distinct_repos,distinct_orgs\n";
  for (std::uint32_t i = 0; i < in.actors.size(); ++i) {
    const ActorSummary& a = in.activity[i];
    act += std::to_string(a.events) + "," + std::string(in.actors.name(i)) + ",x," + when(a.first_time) + "," +
           when(a.last_time) + "," + std::to_string(a.distinct_times) + "," + std::to_string(a.distinct_repos) +
           "," + std::to_string(a.distinct_orgs) + "\n";
  }
  act += "0,someone_without_stars,x,2015-01-01T00:00:00Z,2015-01-01T00:00:00Z,1,1,0\n";
  write_file(dir / "stars.csv", stars);
  write_file(dir / "activity.csv", act);
}

TEST(ExtractReader, RoundTripEqualsTheDirectPath) {
  HUBGUARD_REQUIRE_REAL_HOUR();
  auto direct = detection_input_from_archives({testing::real_hour()});
  ASSERT_TRUE(direct.ok());
  for (bool space_time : {false, true}) {
    TempDir tmp;
    write_extract(*direct, tmp.path(), space_time);
    ASSERT_TRUE(is_extract_dir(tmp.path()));
    auto back = detection_input_from_extract(tmp.path());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->actors.names(), direct->actors.names());
    EXPECT_EQ(back->repos.names(), direct->repos.names());
    ASSERT_EQ(back->stars.size(), direct->stars.size());
    for (std::size_t i = 0; i < back->stars.size(); ++i) {
      EXPECT_EQ(back->stars[i].actor, direct->stars[i].actor);
      EXPECT_EQ(back->stars[i].repo, direct->stars[i].repo);
      EXPECT_EQ(back->stars[i].time, direct->stars[i].time);
    }
    for (std::size_t i = 0; i < back->activity.size(); ++i) {
      EXPECT_EQ(back->activity[i].events, direct->activity[i].events);
      EXPECT_EQ(back->activity[i].distinct_times, direct->activity[i].distinct_times);
      EXPECT_EQ(back->activity[i].first_time, direct->activity[i].first_time);
    }
  }
}

TEST(ExtractReader, ErrorsNameTheFileAndLine) {
  TempDir tmp;
  write_file(tmp.path() / "stars.csv", "actor,repo,created_at\na,o/r,2015-01-01T00:00:00Z\nb,o/r,yesterday\n");
  write_file(tmp.path() / "activity.csv",
             "actor,first_time,last_time,events,distinct_times,distinct_repos,distinct_orgs\n");
  auto bad_time = detection_input_from_extract(tmp.path());
  ASSERT_FALSE(bad_time.ok());
  EXPECT_NE(bad_time.error().message.find("stars.csv:3"), std::string::npos) << bad_time.error().message;

  write_file(tmp.path() / "stars.csv", "actor,repo,created_at\na,o/r,2015-01-01T00:00:00Z\n");
  auto missing = detection_input_from_extract(tmp.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no row for stargazer 'a'"), std::string::npos);

  write_file(tmp.path() / "activity.csv", "actor,first_time\na,2015-01-01T00:00:00Z\n");
  auto header = detection_input_from_extract(tmp.path());
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.error().message.find("last_time"), std::string::npos);

  write_file(tmp.path() / "activity.csv",
             "actor,first_time,last_time,events,distinct_times,distinct_repos,distinct_orgs\n"
             "a,2015-01-01T00:00:00Z,2015-01-01T00:00:00Z,7,9,9,9\n");
  auto ok = detection_input_from_extract(tmp.path());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->activity[0].distinct_times, 3);  // exact SQL counts are capped like every source
  EXPECT_EQ(ok->activity[0].distinct_repos, 2);
  EXPECT_EQ(ok->activity[0].events, 7u);
  EXPECT_FALSE(detection_input_from_extract(tmp.path() / "nope").ok());
}

}  // namespace
}  // namespace hubguard::stars
