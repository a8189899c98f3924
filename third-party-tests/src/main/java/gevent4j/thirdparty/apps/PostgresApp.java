package gevent4j.thirdparty.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain JDBC application: {@code threads} platform threads ({@code new Thread}), each with a
 * connection of its own from {@link DriverManager} (PostgreSQL JDBC driver, with a login timeout,
 * which makes the driver connect on a thread of its own). All threads hold their connections open
 * at once, then each runs {@code iterations} rounds of
 * <ul>
 *   <li>{@code SELECT ?::int + ?::int} with thread- and round-specific operands,</li>
 *   <li>{@code SELECT pg_sleep(0.01), ?} (with a query timeout, which arms the driver's timer),</li>
 *   <li>an {@code INSERT} of a row tagged with this run, the thread and the round,</li>
 * </ul>
 * then reads its own rows back in one query, and finally runs a transaction that it rolls back
 * and checks that it left nothing behind. Every result is checked against what this thread expects.
 *
 * <p>Usage: {@code PostgresApp <jdbc-url> <threads> <iterations>}. Prints
 * {@code RESULT ok=<checks passed> errors=<n>}; exit 0 only if every check passed, which is
 * {@code threads * (3 * iterations + 2)} checks.
 */
public final class PostgresApp {
  private static final int MAX_ERRORS_PRINTED = 10;

  private PostgresApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      Check.fail("usage: PostgresApp <jdbc-url> <threads> <iterations>");
    }
    String url = args[0];
    int threads = Integer.parseInt(args[1]);
    int iterations = Integer.parseInt(args[2]);
    String run = UUID.randomUUID().toString();
    Properties props = new Properties();
    props.setProperty("loginTimeout", "60");
    props.setProperty("connectTimeout", "60");
    props.setProperty("ApplicationName", "gevent4j-PostgresApp");

    try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS gevent4j_rows (run text NOT NULL, thread int NOT NULL, "
          + "seq int NOT NULL, value text NOT NULL, PRIMARY KEY (run, thread, seq))");
    }

    AtomicLong ok = new AtomicLong();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger connected = new AtomicInteger();
    Phaser allConnected = new Phaser(threads);
    List<Thread> workers = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        boolean arrived = false;
        try (Connection c = DriverManager.getConnection(url, props)) {
          connected.incrementAndGet();
          arrived = true;
          // Every thread holds its connection before any starts querying.
          allConnected.awaitAdvanceInterruptibly(allConnected.arrive(), 120, TimeUnit.SECONDS);
          work(c, run, id, iterations, ok);
        } catch (SQLException | RuntimeException | InterruptedException | TimeoutException e) {
          if (errors.incrementAndGet() <= MAX_ERRORS_PRINTED) {
            System.out.println("ERROR thread " + id + ": " + e);
            e.printStackTrace(System.out);
          }
        } finally {
          if (!arrived) {
            allConnected.arriveAndDeregister();
          }
        }
      }, "pg-worker-" + t);
      workers.add(worker);
      worker.start();
    }
    Check.joinAll(workers, 300_000, "PostgreSQL workers");

    try (Connection c = DriverManager.getConnection(url, props);
        PreparedStatement count = c.prepareStatement("SELECT count(*) FROM gevent4j_rows WHERE run = ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM gevent4j_rows WHERE run = ?")) {
      count.setString(1, run);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        long rows = rs.getLong(1);
        if (rows != (long) threads * iterations && errors.get() == 0) {
          errors.incrementAndGet();
          System.out.println("ERROR table holds " + rows + " rows of this run, expected " + (long) threads * iterations);
        }
      }
      delete.setString(1, run);
      delete.executeUpdate();
    }

    long expected = (long) threads * (3L * iterations + 2);
    Check.println("connected=" + connected.get() + " of " + threads);
    Check.println("RESULT ok=" + ok.get() + " errors=" + errors.get());
    Check.equal(0, errors.get(), "errors");
    Check.equal(expected, ok.get(), "checks passed");
  }

  private static void work(Connection c, String run, int id, int iterations, AtomicLong ok) throws SQLException {
    try (PreparedStatement add = c.prepareStatement("SELECT ?::int + ?::int");
        PreparedStatement sleep = c.prepareStatement("SELECT pg_sleep(0.01), ?");
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO gevent4j_rows (run, thread, seq, value) VALUES (?, ?, ?, ?)")) {
      sleep.setQueryTimeout(60);
      for (int i = 0; i < iterations; i++) {
        int a = id * 100_000 + i;
        int b = i * 7 + 3;
        add.setInt(1, a);
        add.setInt(2, b);
        try (ResultSet rs = add.executeQuery()) {
          expect(rs.next(), "no row for " + a + " + " + b);
          expect(rs.getInt(1) == a + b, a + " + " + b + " = " + rs.getInt(1));
          expect(!rs.next(), "more than one row for " + a + " + " + b);
        }
        ok.incrementAndGet();

        String token = "t" + id + "-i" + i;
        sleep.setString(1, token);
        try (ResultSet rs = sleep.executeQuery()) {
          expect(rs.next(), "no row for pg_sleep " + token);
          expect(token.equals(rs.getString(2)), "pg_sleep echoed " + rs.getString(2) + " instead of " + token);
        }
        ok.incrementAndGet();

        insert.setString(1, run);
        insert.setInt(2, id);
        insert.setInt(3, i);
        insert.setString(4, value(id, i));
        expect(insert.executeUpdate() == 1, "insert " + token + " did not insert one row");
        ok.incrementAndGet();
      }
    }

    try (PreparedStatement select = c.prepareStatement(
        "SELECT seq, value FROM gevent4j_rows WHERE run = ? AND thread = ? ORDER BY seq")) {
      select.setString(1, run);
      select.setInt(2, id);
      int expectedSeq = 0;
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          expect(rs.getInt(1) == expectedSeq, "thread " + id + " read back seq " + rs.getInt(1) + ", expected " + expectedSeq);
          expect(value(id, expectedSeq).equals(rs.getString(2)),
              "thread " + id + " read back '" + rs.getString(2) + "' for seq " + expectedSeq);
          expectedSeq++;
        }
      }
      expect(expectedSeq == iterations, "thread " + id + " read back " + expectedSeq + " rows, expected " + iterations);
    }
    ok.incrementAndGet();

    // A transaction rolled back leaves nothing behind.
    c.setAutoCommit(false);
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO gevent4j_rows (run, thread, seq, value) VALUES (?, ?, ?, 'rolled back')");
        PreparedStatement count = c.prepareStatement(
            "SELECT count(*) FROM gevent4j_rows WHERE run = ? AND thread = ?")) {
      insert.setString(1, run);
      insert.setInt(2, id);
      insert.setInt(3, -1);
      insert.executeUpdate();
      count.setString(1, run);
      count.setInt(2, id);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        expect(rs.getInt(1) == iterations + 1, "inside the transaction thread " + id + " sees " + rs.getInt(1) + " rows");
      }
      c.rollback();
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        expect(rs.getInt(1) == iterations, "after rollback thread " + id + " sees " + rs.getInt(1) + " rows");
      }
    } finally {
      c.setAutoCommit(true);
    }
    ok.incrementAndGet();
  }

  private static String value(int thread, int seq) {
    return "row-" + thread + "-" + seq + "-" + Integer.toHexString((thread * 31 + seq) * 0x9E3779B1);
  }

  private static void expect(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("wrong result: " + what);
    }
  }
}
