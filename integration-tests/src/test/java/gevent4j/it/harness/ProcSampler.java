package gevent4j.it.harness;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a child's {@link ProcStatus} on a platform thread of the test JVM and keeps the peaks:
 * the number of OS threads a server used while a load ran against it.
 */
public final class ProcSampler implements AutoCloseable {
  private final long pid;
  private final long intervalMillis;
  private final AtomicInteger peakThreads = new AtomicInteger(-1);
  private final AtomicLong peakRssKb = new AtomicLong(-1);
  private final AtomicLong hwmKb = new AtomicLong(-1);
  private final AtomicInteger samples = new AtomicInteger();
  private final Thread sampler;
  private volatile boolean stopped;

  private ProcSampler(long pid, long intervalMillis) {
    this.pid = pid;
    this.intervalMillis = intervalMillis;
    this.sampler = Thread.ofPlatform().daemon().name("proc-sampler-" + pid).unstarted(this::run);
  }

  /** Starts sampling process {@code pid} every {@code intervalMillis}. */
  public static ProcSampler start(long pid, long intervalMillis) {
    ProcSampler s = new ProcSampler(pid, intervalMillis);
    s.sample();
    s.sampler.start();
    return s;
  }

  private void run() {
    while (!stopped) {
      if (!sample()) {
        return; // the process is gone
      }
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private boolean sample() {
    Optional<ProcStatus> status = ProcStatus.read(pid);
    status.ifPresent(s -> {
      peakThreads.accumulateAndGet(s.threads(), Math::max);
      peakRssKb.accumulateAndGet(s.vmRssKb(), Math::max);
      hwmKb.accumulateAndGet(s.vmHwmKb(), Math::max);
      samples.incrementAndGet();
    });
    return status.isPresent();
  }

  /** Highest {@code Threads:} seen; -1 if no sample was taken. */
  public int peakThreads() {
    return peakThreads.get();
  }

  /** Highest {@code VmRSS:} seen, in KiB; -1 if no sample was taken. */
  public long peakRssKb() {
    return peakRssKb.get();
  }

  /** The last {@code VmHWM:} seen (the kernel's own peak of VmRSS), in KiB; -1 if none. */
  public long hwmKb() {
    return hwmKb.get();
  }

  /** How many samples were taken. */
  public int samples() {
    return samples.get();
  }

  /** Stops sampling after one last sample. */
  @Override
  public void close() {
    stopped = true;
    sampler.interrupt();
    try {
      sampler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample();
  }

  @Override
  public String toString() {
    return "peak threads=" + peakThreads() + ", peak VmRSS=" + peakRssKb() + " kB, VmHWM=" + hwmKb() + " kB over "
        + samples() + " samples";
  }
}
