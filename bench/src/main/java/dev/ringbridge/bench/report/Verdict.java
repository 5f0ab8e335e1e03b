package dev.ringbridge.bench.report;

import dev.ringbridge.bench.scenario.Spread;

import java.util.Locale;

/**
 * One target's outcome.
 *
 * @param target   what the issue asks for.
 * @param measured the figures compared, with their spread across passes.
 * @param outcome  met, tie or missed.
 */
public record Verdict(String target, String measured, Outcome outcome)
{
    /**
     * Whether a target holds. A figure measured in several passes is judged by all of them: when the
     * target's threshold lies within the spread of the per-pass figures, the run cannot say which side
     * the truth is on, and the verdict is a tie.
     */
    public enum Outcome
    {
        /** Every pass meets the threshold (or the one pass does). */
        MET("met"),
        /** The threshold lies between the lowest and the highest pass. */
        TIE("tie"),
        /** No pass meets the threshold. */
        MISSED("missed");

        private final String label;

        Outcome(final String label)
        {
            this.label = label;
        }

        /**
         * @return the word shown in the report.
         */
        public String label()
        {
            return label;
        }

        /**
         * @return the word shown on the console, where a miss is in capitals.
         */
        public String console()
        {
            return this == MISSED ? label.toUpperCase(Locale.ROOT) : label;
        }
    }

    /**
     * @param figure    the merged figure (used when there is only one pass).
     * @param spread    the per-pass figures.
     * @param threshold the target's bound.
     * @param atLeast   true when the figure must reach the bound, false when it must stay at or below it.
     * @return the outcome.
     */
    static Outcome judge(final double figure, final Spread spread, final double threshold, final boolean atLeast)
    {
        if (spread.count() < 2)
        {
            return (atLeast ? figure >= threshold : figure <= threshold) ? Outcome.MET : Outcome.MISSED;
        }
        final double worst = atLeast ? spread.min() : spread.max();
        final double best = atLeast ? spread.max() : spread.min();
        if (atLeast ? worst >= threshold : worst <= threshold)
        {
            return Outcome.MET;
        }
        return (atLeast ? best < threshold : best > threshold) ? Outcome.MISSED : Outcome.TIE;
    }
}
