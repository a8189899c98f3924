package gevent4j.benchmarks.jmh;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code SynchronousQueue} hand-off between a producer and a consumer made with
 * {@code new Thread(...)}: one operation is one element passed by {@code put} to {@code take}.
 *
 * <p>{@code SynchronousQueue} waits in {@code LinkedTransferQueue$DualNode.await}, which spins
 * before parking; on a one-thread Hub the spin can never succeed, which is why gevent4j turns it
 * off for greenlets (see DESIGN.md). Stock Loom on one carrier spins too unless the carrier is a
 * busy ForkJoin worker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandoffBenchmark {

    static final int HANDOFFS = 10_000;
    private static final Integer ITEM = 42;

    private final Batch batch = new Batch();
    private final SynchronousQueue<Integer> queue = new SynchronousQueue<>();
    private Thread producer;
    private Thread consumer;

    @Setup(Level.Trial)
    public void start() {
        producer = Threads.helper(this::produce, "handoff-producer");
        consumer = Threads.helper(this::consume, "handoff-consumer");
        consumer.start();
        producer.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        batch.stop(producer, consumer);
    }

    @Benchmark
    @OperationsPerInvocation(HANDOFFS)
    public void synchronousQueue() {
        batch.run(producer, consumer);
    }

    private void produce() {
        int generation = 0;
        try {
            while ((generation = batch.awaitStart(generation)) >= 0) {
                for (int i = 0; i < HANDOFFS; i++) {
                    queue.put(ITEM);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consume() {
        int generation = 0;
        try {
            while ((generation = batch.awaitStart(generation)) >= 0) {
                for (int i = 0; i < HANDOFFS; i++) {
                    if (queue.take() != ITEM) {
                        throw new AssertionError("unexpected element");
                    }
                }
                batch.finish(generation);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
