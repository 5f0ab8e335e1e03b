package dev.ringbridge.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The one-line progress display: a line rewritten in place with {@code \r}, showing the share of the
 * planned time done, the time elapsed and left, and the scenario running now.
 *
 * <p><b>Threads.</b> Used by the coordinating thread only.
 */
final class Progress
{
    private static final int WIDTH = 110;

    private final PrintStream out;
    private final double plannedSeconds;
    private final long startNanos = System.nanoTime();
    private double doneSeconds;
    private int lastLength;

    Progress(final PrintStream out, final double plannedSeconds)
    {
        this.out = out;
        this.plannedSeconds = Math.max(plannedSeconds, 1e-3);
    }

    /**
     * Shows the step about to start.
     *
     * @param label          what runs now.
     * @param plannedSeconds how long it is planned to take.
     */
    void step(final String label, final double plannedSeconds)
    {
        final double elapsed = (System.nanoTime() - startNanos) / 1e9;
        // Scale the plan by how the run has kept to it so far (start-up, GC, draining queues).
        final double pace = doneSeconds > 0 ? elapsed / doneSeconds : 1.0;
        final double left = Math.max(0, (this.plannedSeconds - doneSeconds) * pace);
        String line = String.format(Locale.ROOT, "[%3.0f%%] %s elapsed, ~%s left | %s",
            100 * doneSeconds / this.plannedSeconds, clock(elapsed), clock(left), label);
        if (line.length() > WIDTH)
        {
            line = line.substring(0, WIDTH);
        }
        // Pad with spaces to wipe the rest of a longer previous line.
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
        doneSeconds += plannedSeconds;
    }

    /**
     * Ends the progress line.
     */
    void finish()
    {
        out.print("\r" + String.format(Locale.ROOT, "[100%%] done in %s", clock((System.nanoTime() - startNanos) / 1e9))
            + " ".repeat(Math.max(0, lastLength - 20)) + System.lineSeparator());
        out.flush();
    }

    private static String clock(final double seconds)
    {
        final long whole = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }
}
