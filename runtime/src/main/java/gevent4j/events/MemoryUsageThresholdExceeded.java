package gevent4j.events;

/**
 * The process's memory usage (its RSS) went above {@code max_memory_usage}. Published by the
 * monitor thread when the threshold is crossed upwards, not again until usage has fallen back
 * under it ({@link MemoryUsageUnderThreshold}).
 *
 * @param memoryUsage the usage found, in bytes
 * @param maxMemoryUsage the threshold, in bytes
 * @param memory every figure taken at that moment
 */
public record MemoryUsageThresholdExceeded(long memoryUsage, long maxMemoryUsage, ProcessMemory memory)
        implements RuntimeEvent {
}
