package gevent4j.events;

/**
 * The process's memory figures at one moment, in bytes; -1 where the platform does not tell.
 *
 * @param rss resident set size: the process's memory in RAM, what {@code max_memory_usage} is compared with
 * @param heapUsed Java heap in use ({@code MemoryMXBean})
 * @param heapCommitted Java heap committed
 * @param heapMax the heap's limit ({@code -Xmx}), or -1
 * @param nonHeapUsed non-heap memory the JVM accounts for (metaspace, code cache)
 */
public record ProcessMemory(long rss, long heapUsed, long heapCommitted, long heapMax, long nonHeapUsed) {
}
