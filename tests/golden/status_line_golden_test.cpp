// The status line (apps/dia/status_line.hpp) on a real terminal: `dia compare` over several
// numbers of bidders draws a bar with the time left, `--quiet` draws nothing. Run under a pseudo
// terminal (forkpty), since the line is drawn only when stderr is a terminal.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

// Runs dia with `args` with stdin, stdout and stderr on a pseudo terminal; returns what it wrote.
std::string run_on_terminal(std::vector<std::string> args) {
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    std::vector<char*> argv;
    args.insert(args.begin(), DIA_CLI_PATH);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  EXPECT_GT(pid, 0);
  std::string out;
  char buffer[4096];
  for (ssize_t got; (got = ::read(master, buffer, sizeof buffer)) > 0;) out.append(buffer, got);
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  return out;
}

// A mixture's design takes about a second per number of bidders: the line appears after the
// first second, with the bar and the time left once a row is done.
TEST(StatusLineGolden, CompareDrawsTheTimeLeftOnATerminalOnly) {
  const std::vector<std::string> args{
      "compare", "--values", "mixture(0.5:lognormal(0,1), 0.5:pareto(1,2.5))", "--bidders", "1..3"};
  const std::string drawn = run_on_terminal(args);
  EXPECT_NE(drawn.find("designing for each number of bidders ["), std::string::npos) << drawn;
  EXPECT_NE(drawn.find("s left"), std::string::npos) << drawn;
  auto quiet = args;
  quiet.push_back("--quiet");
  EXPECT_EQ(run_on_terminal(quiet).find("designing for each"), std::string::npos);
}

}  // namespace
