package gevent4j.it.apps;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves each name given as an argument from {@code <threads>} threads at once (the first
 * argument) and prints one line per name: {@code name <n> -> <address,...>} when every thread got
 * the same answer, {@code name <n> -> UnknownHostException <message>} when they all failed alike,
 * else {@code name <n> -> MIXED <answers>}. Two things the JDK itself varies are evened out: within
 * one address family the addresses are sorted (a server such as dnsmasq rotates them; the order of
 * the families is kept, it is the JDK's), and of the failures the most detailed message is kept
 * (threads that waited in the JDK's {@code InetAddress} for another thread's failed lookup get an
 * {@code UnknownHostException} whose message is the bare name). An argument {@code ptr:<ip>} prints
 * {@code ptr <ip> -> <getHostName()>} instead (which answers the literal when there is no name).
 * An argument {@code interrupt:<n>} resolves {@code <n>} in one thread that is interrupted 100 ms
 * after it starts (against a server slower than that) and prints
 * {@code interrupted <n> -> <answer> still_interrupted=<whether the thread's interrupt was left set>}:
 * the JDK's lookup ignores the interrupt and leaves it set. Ends with {@code DNSJAVA_APP OK <elapsed_ms>}.
 */
public final class DnsjavaApp {
  private DnsjavaApp() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    long t0 = System.nanoTime();
    for (String name : Arrays.copyOfRange(args, 1, args.length)) {
      if (name.startsWith("ptr:")) {
        String ip = name.substring(4);
        Check.println("ptr " + ip + " -> " + InetAddress.getByName(ip).getHostName());
        continue;
      }
      if (name.startsWith("interrupt:")) {
        interrupted(name.substring("interrupt:".length()));
        continue;
      }
      Set<String> answers = ConcurrentHashMap.newKeySet();
      List<Thread> started = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        started.add(new Thread(() -> answers.add(answer(name))));
      }
      started.forEach(Thread::start);
      Check.joinAll(started, 60_000, "lookups of " + name);
      if (answers.stream().allMatch(a -> a.startsWith("UnknownHostException"))) {
        String detailed = answers.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
        answers.clear();
        answers.add(detailed);
      }
      Check.println("name " + name + " -> " + (answers.size() == 1 ? answers.iterator().next() : "MIXED " + answers));
    }
    Check.println("DNSJAVA_APP OK " + (System.nanoTime() - t0) / 1_000_000);
  }

  private static void interrupted(String name) throws InterruptedException {
    String[] answer = new String[1];
    boolean[] stillInterrupted = new boolean[1];
    Thread lookup = new Thread(() -> {
      answer[0] = answer(name);
      stillInterrupted[0] = Thread.currentThread().isInterrupted();
    });
    lookup.start();
    Thread.sleep(100);
    lookup.interrupt();
    Check.joinAll(List.of(lookup), 60_000, "the interrupted lookup of " + name);
    Check.println("interrupted " + name + " -> " + answer[0] + " still_interrupted=" + stillInterrupted[0]);
  }

  private static String answer(String name) {
    try {
      List<String> out = new ArrayList<>();
      List<String> run = new ArrayList<>();
      Class<?> family = null;
      for (InetAddress a : InetAddress.getAllByName(name)) {
        if (family != null && family != a.getClass()) {
          run.sort(null);
          out.addAll(run);
          run.clear();
        }
        family = a.getClass();
        run.add(a.getHostAddress());
      }
      run.sort(null);
      out.addAll(run);
      return String.join(",", out);
    } catch (UnknownHostException e) {
      return "UnknownHostException " + e.getMessage();
    }
  }
}
