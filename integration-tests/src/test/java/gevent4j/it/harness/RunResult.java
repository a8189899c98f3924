package gevent4j.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a finished child JVM left behind: its exit code and everything it wrote to stdout and
 * stderr. The assertion helpers put the whole captured output into their failure messages, so a
 * failing integration test says what the application printed without a rerun.
 *
 * @param description the command line, for failure messages
 */
public record RunResult(String description, int exitCode, String stdout, String stderr) {

  /** Lines of stdout, without line terminators; a trailing empty line is dropped. */
  public List<String> stdoutLines() {
    return stdout.lines().toList();
  }

  /** Lines of stderr that are not blank. */
  public List<String> stderrLines() {
    return stderr.lines().filter(line -> !line.isBlank()).toList();
  }

  /** Asserts exit code 0. */
  public RunResult assertExitZero() {
    assertEquals(0, exitCode, () -> "expected exit code 0\n" + this);
    return this;
  }

  /** Asserts a non-zero exit code. */
  public RunResult assertExitNonZero() {
    assertTrue(exitCode != 0, () -> "expected a non-zero exit code\n" + this);
    return this;
  }

  /**
   * Asserts that nothing at all was written to stderr: a default run of the agent prints nothing
   * there, and neither does any application of this module when it succeeds.
   */
  public RunResult assertStderrEmpty() {
    assertTrue(stderr.isEmpty(), () -> "expected an empty stderr\n" + this);
    return this;
  }

  /** Asserts that stdout has a line equal to each of {@code lines}. */
  public RunResult assertStdoutHasLines(String... lines) {
    List<String> actual = stdoutLines();
    for (String line : lines) {
      assertTrue(actual.contains(line), () -> "expected the stdout line '" + line + "'\n" + this);
    }
    return this;
  }

  /** Asserts that stdout contains each of {@code fragments}. */
  public RunResult assertStdoutContains(String... fragments) {
    for (String fragment : fragments) {
      assertTrue(stdout.contains(fragment), () -> "expected stdout to contain '" + fragment + "'\n" + this);
    }
    return this;
  }

  /** Asserts that stdout does not contain {@code fragment}. */
  public RunResult assertStdoutLacks(String fragment) {
    assertTrue(!stdout.contains(fragment), () -> "expected stdout NOT to contain '" + fragment + "'\n" + this);
    return this;
  }

  /**
   * Exit 0, each of {@code lines} on stdout, and an empty stderr: what every successful run shows.
   * Checked in that order, so that a run which misbehaves and also prints warnings fails on the
   * misbehaviour.
   */
  public RunResult assertSucceeded(String... lines) {
    return assertExitZero().assertStdoutHasLines(lines).assertStderrEmpty();
  }

  /** Exit 0 and an empty stderr: what every successful run under the agent must show. */
  public RunResult assertCleanSuccess() {
    return assertExitZero().assertStderrEmpty();
  }

  /** The first stdout line that {@code pattern} matches entirely; fails when there is none. */
  public Matcher stdoutLineMatching(Pattern pattern) {
    for (String line : stdoutLines()) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.matches()) {
        return matcher;
      }
    }
    return fail("expected a stdout line matching /" + pattern + "/\n" + this);
  }

  @Override
  public String toString() {
    return "command: " + description
        + "\nexit code: " + exitCode
        + "\n----- stdout -----\n" + Output.abbreviate(stdout)
        + "\n----- stderr -----\n" + Output.abbreviate(stderr)
        + "\n------------------";
  }
}
