// `hubguard hub scan ROOT --db URL` past one machine, for real: a private PostgreSQL (see
// tests/hub/pg_test_server.hpp), a mirror of many small repositories, three worker processes
// sharing the queue, one of them killed with SIGKILL while it holds a repository (it pauses
// after claiming, lease renewed, so the kill lands mid-repository). The survivors must take
// its repository once the lease expires, and the database must end with exactly one verdict
// for every file on disk. Also: the report read back (`hub report --db`) and a clear exit 2
// when the database cannot be reached.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "../hub/pg_test_server.hpp"
#include "run_command.hpp"

namespace hubguard::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

// A mirror of `repos` model repositories of three files each; every seventh (3, 10, ...) holds
// a pickle that calls os.system. Returns the number of files written.
std::size_t make_mirror(const fs::path& root, int repos) {
  std::size_t files = 0;
  for (int i = 0; i < repos; ++i) {
    const fs::path repo = root / "models" / "owner" / ("repo" + std::to_string(i));
    spit(repo / "config.json", "{\"model_type\": \"bert\", \"hidden_size\": " + std::to_string(64 + i) + "}");
    spit(repo / "README.md", "# repo " + std::to_string(i) + "\n");
    if (i % 7 == 3)
      spit(repo / "model.pkl", "cos\nsystem\n(S'echo pwned'\ntR.");  // protocol 0: os.system(...)
    else
      spit(repo / "model.pkl", std::string("\x80\x04K") + static_cast<char>(i % 100) + ".");  // the int i
    files += 3;
  }
  return files;
}

// A hubguard process in the background, its output in `log`.
pid_t spawn_hubguard(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  if (std::FILE* f = std::freopen(log.c_str(), "w", stdout)) ::dup2(::fileno(f), 2);
  std::vector<char*> argv{const_cast<char*>(HUBGUARD_BINARY)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(HUBGUARD_BINARY, argv.data());
  ::_exit(127);
}

// Exit code, or -1 if it had not exited within `timeout` (then it is killed).
int wait_exit(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(50ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// One-row, one-column answers from the test's own connection.
class Sql {
 public:
  explicit Sql(const std::string& url) : conn_(PQconnectdb(url.c_str())) {}
  ~Sql() { PQfinish(conn_); }
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  // `sql` may use $1 for the root key.
  std::string value(const std::string& sql, const std::string& root) {
    const char* params[] = {root.c_str()};
    PGresult* r = PQexecParams(conn_, sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
    std::string v;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) v = PQgetvalue(r, 0, 0);
    else if (PQresultStatus(r) != PGRES_TUPLES_OK) v = std::string("ERROR: ") + PQresultErrorMessage(r);
    PQclear(r);
    return v;
  }

 private:
  PGconn* conn_;
};

class HubPgCli : public ::testing::Test {
 protected:
  void SetUp() override {
    HUBGUARD_START_PG_OR_SKIP(server_);
    dir_ = fresh_dir("hubguard_hub_pg_cli");
  }
  void TearDown() override {
    server_.stop(HasFailure());
    if (!HasFailure()) fs::remove_all(dir_);
  }

  PgTestServer server_;
  fs::path dir_;
};

// Rows of this test's queue are found by the root the workers were given.
constexpr const char* kRepos = "FROM hubguard_repositories WHERE root = convert_to($1, 'UTF8')";

TEST_F(HubPgCli, AWorkerKilledMidRepositoryLosesNothingAndEveryFileGetsOneVerdict) {
  const fs::path root = fs::canonical(dir_) / "mirror";
  const std::size_t files = make_mirror(root, 40);
  const std::string url = server_.url();
  Sql sql(url);
  ASSERT_TRUE(sql.ok());

  // The victim pauses 60 s on its first claim with a 2 s lease (renewed while it waits).
  const pid_t victim = spawn_hubguard({"hub", "scan", root.string(), "--db", url, "--worker-id", "victim", "--lease", "2",
                                       "--pause-after-claim", "60000", "--format", "json", "--cache", (dir_ / "cache.sqlite").string()},
                                      dir_ / "victim.log");
  std::string held;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (held.empty() && std::chrono::steady_clock::now() < deadline) {
    held = sql.value(std::string("SELECT path ") + kRepos + " AND state = 'running' AND lease_owner = 'victim'", root.string());
    if (held.rfind("ERROR", 0) == 0) held.clear();  // schema not made yet
    if (held.empty()) std::this_thread::sleep_for(50ms);
  }
  ASSERT_FALSE(held.empty()) << "the victim never claimed a repository:\n" << slurp(dir_ / "victim.log");

  std::vector<pid_t> workers;
  for (int w = 0; w < 2; ++w)
    workers.push_back(spawn_hubguard({"hub", "scan", root.string(), "--db", url, "--worker-id", "w" + std::to_string(w),
                                      "--lease", "2", "--format", "json", "-o", (dir_ / ("w" + std::to_string(w) + ".json")).string(),
                                      "--cache", (dir_ / "cache.sqlite").string()},
                                     dir_ / ("w" + std::to_string(w) + ".log")));
  std::this_thread::sleep_for(500ms);
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  int status = 0;
  ::waitpid(victim, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  for (int w = 0; w < 2; ++w) {
    const int code = wait_exit(workers[static_cast<std::size_t>(w)], 180s);
    // 1: the planted os.system pickles are found (exit 1 = something reached --fail-on).
    EXPECT_EQ(code, 1) << slurp(dir_ / ("w" + std::to_string(w) + ".log"));
  }

  // Every repository done, the victim's by someone else on the second claim.
  EXPECT_EQ(sql.value(std::string("SELECT count(*) ") + kRepos, root.string()), "40");
  EXPECT_EQ(sql.value(std::string("SELECT count(*) ") + kRepos + " AND state = 'done'", root.string()), "40");
  const std::string held_q = std::string(" ") + kRepos + " AND path = '" + held + "'";  // held is our own repo id
  // 2: the victim's claim, then a survivor's (more only if a survivor's own heartbeat was
  // late on a loaded machine, which the queue also survives).
  EXPECT_GE(std::stoi("0" + sql.value("SELECT attempts" + held_q, root.string())), 2);
  const std::string finisher = sql.value("SELECT finished_by" + held_q, root.string());
  EXPECT_TRUE(finisher == "w0" || finisher == "w1") << finisher;

  // Exactly one verdict per file on disk, none from the victim.
  const std::string results =
      "FROM hubguard_results f JOIN hubguard_repositories r ON r.id = f.repository WHERE r.root = convert_to($1, 'UTF8')";
  EXPECT_EQ(sql.value("SELECT count(*) " + results, root.string()), std::to_string(files));
  EXPECT_EQ(sql.value("SELECT count(DISTINCT (f.repository, f.file_path)) " + results, root.string()), std::to_string(files));
  EXPECT_EQ(sql.value("SELECT count(*) " + results + " AND f.scanned_by = 'victim'", root.string()), "0");
  EXPECT_EQ(sql.value("SELECT count(*) " + results + " AND f.verdict IN ('dangerous', 'malicious')", root.string()), "6");

  // Each survivor printed the whole mirror's report from the database.
  auto report = nlohmann::json::parse(slurp(dir_ / "w0.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << slurp(dir_ / "w0.json").substr(0, 500);
  ASSERT_EQ(report["repositories"].size(), 40u);
  std::size_t listed = 0, flagged = 0;
  for (const auto& repo : report["repositories"]) {
    listed += repo["files"].size();
    if (repo["verdict"] == "dangerous" || repo["verdict"] == "malicious") ++flagged;
  }
  EXPECT_EQ(listed, files);
  EXPECT_EQ(flagged, 6u);

  // `hub report --db` reads the same back without scanning.
  auto again = run_hubguard("hub report " + shell_quote(root.string()) + " --db " + shell_quote(url) + " --format json 2>&1");
  EXPECT_EQ(again.exit_code, 1) << again.out;
  auto reread = nlohmann::json::parse(again.out, nullptr, false);
  ASSERT_TRUE(reread.is_object()) << again.out.substr(0, 500);
  EXPECT_EQ(reread["repositories"], report["repositories"]);
}

TEST_F(HubPgCli, AScanOfAFinishedQueueOnlyReportsAndNewRepositoriesAreAdded) {
  const fs::path root = fs::canonical(dir_) / "mirror";
  make_mirror(root, 3);
  const std::string url = server_.url();
  auto first = run_hubguard("hub scan " + shell_quote(root.string()) + " --db " + shell_quote(url) + " --no-cache --format json 2>&1");
  ASSERT_EQ(first.exit_code, 0) << first.out;  // repositories 0-2: nothing planted
  make_mirror(root, 5);  // two more repositories
  auto second = run_hubguard("hub scan " + shell_quote(root.string()) + " --db " + shell_quote(url) + " --no-cache --format json -q");
  auto j = nlohmann::json::parse(second.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << second.out.substr(0, 500);
  EXPECT_EQ(j["repositories"].size(), 5u);
  Sql sql(url);
  EXPECT_EQ(sql.value(std::string("SELECT sum(attempts) ") + kRepos, root.string()), "5") << "nothing scanned twice";
}

TEST_F(HubPgCli, PastMaxAttemptsARepositorysFilesAreReportedUnscannableNotScannedAgain) {
  const fs::path root = fs::canonical(dir_) / "mirror";
  make_mirror(root, 2);
  const std::string url = server_.url();
  Sql sql(url);
  const pid_t victim = spawn_hubguard({"hub", "scan", root.string(), "--db", url, "--worker-id", "victim", "--lease", "1",
                                       "--pause-after-claim", "60000", "--no-cache"},
                                      dir_ / "victim.log");
  std::string held;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (held.empty() && std::chrono::steady_clock::now() < deadline) {
    held = sql.value(std::string("SELECT path ") + kRepos + " AND state = 'running' AND lease_owner = 'victim'", root.string());
    if (held.rfind("ERROR", 0) == 0) held.clear();
    if (held.empty()) std::this_thread::sleep_for(50ms);
  }
  ASSERT_FALSE(held.empty()) << slurp(dir_ / "victim.log");
  ::kill(victim, SIGKILL);
  ::waitpid(victim, nullptr, 0);
  // One failed claim is all --max-attempts 1 allows: the next claim lists the files only.
  auto r = run_hubguard("hub scan " + shell_quote(root.string()) + " --db " + shell_quote(url) +
                        " --lease 1 --max-attempts 1 --no-cache -f json 2>" + shell_quote((dir_ / "w.log").string()));
  EXPECT_EQ(r.exit_code, 0) << slurp(dir_ / "w.log");  // unscannable is below the default --fail-on
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out.substr(0, 500);
  bool found = false;
  for (const auto& repo : j["repositories"]) {
    if (repo["path"] != held) continue;
    found = true;
    EXPECT_EQ(repo["verdict"], "unscannable");
    ASSERT_EQ(repo["files"].size(), 3u);
    for (const auto& f : repo["files"]) {
      EXPECT_EQ(f["verdict"], "unscannable");
      EXPECT_NE(f["error"].get<std::string>().find("claims of this repository ended without a result"), std::string::npos);
    }
  }
  EXPECT_TRUE(found) << held;
  EXPECT_NE(slurp(dir_ / "w.log").find("not scanning " + held + " again"), std::string::npos) << slurp(dir_ / "w.log");
}

TEST(HubPgCliErrors, AnUnreachableDatabaseIsExit2WithTheReason) {
  const fs::path dir = fresh_dir("hubguard_hub_pg_cli_err");
  make_mirror(dir / "mirror", 1);
  const int port = PgTestServer::free_port();
  auto r = run_hubguard("hub scan " + shell_quote((dir / "mirror").string()) + " --no-cache --db postgresql://u:secret@127.0.0.1:" +
                        std::to_string(port) + "/db 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("cannot connect to PostgreSQL at postgresql://u:***@127.0.0.1"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("secret"), std::string::npos) << r.out;
  auto rep = run_hubguard("hub report " + shell_quote((dir / "mirror").string()) + " --db 'host=127.0.0.1 port=" +
                          std::to_string(port) + " password=secret' 2>&1");
  EXPECT_EQ(rep.exit_code, 2) << rep.out;
  EXPECT_EQ(rep.out.find("secret"), std::string::npos) << rep.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hubguard::testing
