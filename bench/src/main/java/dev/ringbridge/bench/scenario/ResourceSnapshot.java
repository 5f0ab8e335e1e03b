package dev.ringbridge.bench.scenario;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Wall time, process CPU time and the heap bytes allocated by the threads taking part in a scenario
 * (its producers and the contender's worker) at one instant. Two snapshots around a measured window give
 * its CPU use and its allocation per call; counting only those threads keeps the report writer, the
 * interval log and the JIT out of the allocation figure.
 *
 * @param wallNanos      {@link System#nanoTime()}.
 * @param cpuNanos       CPU time of the whole process.
 * @param allocatedBytes heap bytes allocated so far by the scenario's threads.
 * @param collections    garbage collections so far, all collectors.
 * @param collectionMillis time spent in them so far, as the collectors report it.
 */
record ResourceSnapshot(long wallNanos, long cpuNanos, long allocatedBytes, long collections, long collectionMillis)
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean SYSTEM =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

    /**
     * @param threads the scenario's threads; all must be alive.
     * @return a snapshot.
     */
    static ResourceSnapshot now(final List<Thread> threads)
    {
        final long[] ids = threads.stream().mapToLong(Thread::threadId).toArray();
        long allocated = 0;
        for (final long bytes : THREADS.getThreadAllocatedBytes(ids))
        {
            allocated += Math.max(0, bytes);
        }
        long collections = 0;
        long collectionMillis = 0;
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            collections += Math.max(0, collector.getCollectionCount());
            collectionMillis += Math.max(0, collector.getCollectionTime());
        }
        return new ResourceSnapshot(System.nanoTime(), SYSTEM.getProcessCpuTime(), allocated, collections, collectionMillis);
    }

    /**
     * @param threadId a live thread's id.
     * @return its CPU time in nanoseconds, or 0 when it has ended.
     */
    static long threadCpuNanos(final long threadId)
    {
        return Math.max(0, THREADS.getThreadCpuTime(threadId));
    }

    double seconds(final ResourceSnapshot later)
    {
        return (later.wallNanos - wallNanos) / 1e9;
    }

    /** CPU time over wall time: 1.0 means one core busy all the time. */
    double cpuCores(final ResourceSnapshot later)
    {
        return (double)(later.cpuNanos - cpuNanos) / (later.wallNanos - wallNanos);
    }

    /** The collections between the two snapshots, as a count and their time. */
    ScenarioResult.Collections collections(final ResourceSnapshot later)
    {
        return new ScenarioResult.Collections(later.collections - collections, later.collectionMillis - collectionMillis);
    }

    double bytesPer(final ResourceSnapshot later, final long calls)
    {
        return calls == 0 ? Double.NaN : (double)(later.allocatedBytes - allocatedBytes) / calls;
    }
}
