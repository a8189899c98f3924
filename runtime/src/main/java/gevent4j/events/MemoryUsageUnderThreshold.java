package gevent4j.events;

/**
 * The process's memory usage fell back under {@code max_memory_usage} after a
 * {@link MemoryUsageThresholdExceeded}. Published by the monitor thread.
 *
 * @param memoryUsage the usage found, in bytes
 * @param maxMemoryUsage the threshold, in bytes
 * @param memory every figure taken at that moment
 */
public record MemoryUsageUnderThreshold(long memoryUsage, long maxMemoryUsage, ProcessMemory memory)
        implements RuntimeEvent {
}
