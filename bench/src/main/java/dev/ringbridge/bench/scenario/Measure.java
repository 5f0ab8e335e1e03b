package dev.ringbridge.bench.scenario;

/**
 * What a scenario measures.
 */
public enum Measure
{
    /** Producers call as fast as the contender accepts calls; completed calls per second. */
    SATURATION("saturation", "Saturation throughput"),
    /** One caller makes blocking calls back to back; the latency of each. */
    ROUND_TRIP("round-trip", "Blocking round trip, one caller"),
    /** One paced producer offers a constant rate; latency from each call's intended send time. */
    CONSTANT_RATE("constant-rate", "Latency at a constant offered rate"),
    /** The worker thread drains a full queue with no producer active; time per call on that thread. */
    HANDLER_COST("handler-cost", "Worker-side cost per call"),
    /** Producers stay blocked on a full queue; the CPU they burn while they wait. */
    BLOCKED_PRODUCERS("blocked-producers", "CPU of producers blocked on a full queue"),
    /** One paced producer offers twice the plugin's saturation rate; goodput within a deadline, shed calls. */
    OVERLOAD("overload", "Overload: twice the saturation rate offered, 5 ms deadline"),
    /** Urgent calls at a tenth of the saturation rate beside a full normal lane; their latency with and without lanes. */
    PRIORITY("priority", "Urgent calls beside a saturated normal lane"),
    /** Eight producers saturate pools of 1, 2, 4 and 8 instances (and a single dispatcher); completed calls per second. */
    POOL_SCALING("pool-scaling", "Pool scaling: eight producers through pools of instances");

    private final String slug;
    private final String title;

    Measure(final String slug, final String title)
    {
        this.slug = slug;
        this.title = title;
    }

    /**
     * @return the short name used in file names and log tags.
     */
    public String slug()
    {
        return slug;
    }

    /**
     * @return the heading used in the report.
     */
    public String title()
    {
        return title;
    }
}
