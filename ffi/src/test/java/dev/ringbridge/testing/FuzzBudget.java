package dev.ringbridge.testing;

/**
 * How long a {@code @FuzzTest} fuzzes. The annotation needs a constant, so {@link #CEILING} is only the limit for a
 * run started by hand with {@code JAZZER_FUZZ=1}; the {@code fuzz} profiles pass {@code -max_total_time} from the
 * property {@code ringbridge.fuzz.seconds} to libFuzzer after it, and libFuzzer keeps the last value it is given.
 */
public final class FuzzBudget
{
    /** The longest any fuzz test runs: {@code @FuzzTest(maxDuration = FuzzBudget.CEILING)}. */
    public static final String CEILING = "30m";

    private FuzzBudget()
    {
    }
}
