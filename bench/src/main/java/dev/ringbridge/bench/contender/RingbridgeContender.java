package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.DispatcherBuilder;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.ffi.NativePlugin;
import jdk.jfr.Recording;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * ringbridge: a {@link PluginDispatcher} in one wait mode, otherwise as configured by default, called through
 * {@link DispatcherCaller}.
 */
public final class RingbridgeContender implements Contender
{
    private final ContenderKind kind;
    private final PluginDispatcher dispatcher;
    private final boolean metrics;
    private final boolean noCall;
    /** Every call's deadline from its submit (the dispatcher's default timeout), or null for none. */
    private final Duration deadline;
    /** A JFR recording that enables the per-call event while this contender runs, or null. */
    private final Recording recording;

    /**
     * Starts a dispatcher that does not close the shared plugin.
     *
     * @param kind     one of the ringbridge kinds; it names the wait mode.
     * @param plugin   the plugin.
     * @param capacity the ring's capacity.
     * @param metrics  whether the dispatcher records latency histograms (its default is true).
     */
    public RingbridgeContender(final ContenderKind kind, final NativePlugin plugin, final int capacity, final boolean metrics)
    {
        this(kind, plugin, capacity, metrics, false);
    }

    /**
     * Starts a dispatcher that does not close the shared plugin.
     *
     * @param kind     one of the ringbridge kinds; it names the wait mode.
     * @param plugin   the plugin.
     * @param capacity the ring's capacity.
     * @param metrics  whether the dispatcher records latency histograms (its default is true).
     * @param noCall   whatever the workload, send the plugin's no-op binary message (message 0, empty request and
     *                 response): the hand-off alone, the ring's own ceiling.
     */
    public RingbridgeContender(final ContenderKind kind, final NativePlugin plugin, final int capacity, final boolean metrics,
        final boolean noCall)
    {
        this(kind, plugin, capacity, metrics, noCall, null, false);
    }

    /**
     * Starts a dispatcher, with metrics, whose calls all carry a deadline: a call the owner reaches after it is shed.
     *
     * @param kind     one of the ringbridge kinds; it names the wait mode.
     * @param plugin   the plugin.
     * @param capacity the ring's capacity.
     * @param deadline every call's deadline, from its submit.
     * @return the contender, labelled {@code <kind>+deadline}.
     */
    public static RingbridgeContender withDeadline(final ContenderKind kind, final NativePlugin plugin, final int capacity,
        final Duration deadline)
    {
        return new RingbridgeContender(kind, plugin, capacity, true, false, deadline, false);
    }

    /**
     * Starts a dispatcher, with metrics, under a JFR recording that enables the per-call event with its default
     * threshold (10 ms): every call pays the event's clock readings and threshold check, and none is written. The
     * recording ends with the contender.
     *
     * @param kind     one of the ringbridge kinds; it names the wait mode.
     * @param plugin   the plugin.
     * @param capacity the ring's capacity.
     * @return the contender, labelled {@code <kind> (JFR on)}.
     */
    public static RingbridgeContender withFlightRecording(final ContenderKind kind, final NativePlugin plugin, final int capacity)
    {
        return new RingbridgeContender(kind, plugin, capacity, true, false, null, true);
    }

    private RingbridgeContender(final ContenderKind kind, final NativePlugin plugin, final int capacity, final boolean metrics,
        final boolean noCall, final Duration deadline, final boolean flightRecording)
    {
        this.recording = flightRecording ? new Recording() : null;
        if (recording != null)
        {
            recording.enable("dev.ringbridge.Call");
            recording.start();
        }
        this.noCall = noCall;
        this.deadline = deadline;
        if (!kind.ringbridge())
        {
            throw new IllegalArgumentException("not a ringbridge contender: " + kind);
        }
        this.kind = kind;
        this.metrics = metrics;
        final DispatcherBuilder builder = PluginDispatcher.builder(plugin)
            .capacity(capacity)
            .waitMode(kind.waitMode())
            .metrics(metrics)
            .closePlugin(false)
            .threadName("ringbridge-" + kind.label());
        if (deadline != null)
        {
            builder.defaultTimeout(deadline);
        }
        this.dispatcher = builder.build();
    }

    @Override
    public ContenderKind kind()
    {
        return kind;
    }

    @Override
    public String label()
    {
        if (noCall)
        {
            return metrics ? "ring-no-call" : "ring-no-call (no metrics)";
        }
        if (deadline != null)
        {
            return kind.label() + "+deadline";
        }
        if (recording != null)
        {
            return kind.label() + " (JFR on)";
        }
        return metrics ? kind.label() : kind.label() + " (no metrics)";
    }

    @Override
    public Caller open(final Workload workload)
    {
        return noCall ? new NoOpCaller(dispatcher) : new DispatcherCaller(dispatcher, workload);
    }

    @Override
    public Optional<Thread> worker()
    {
        return Optional.of(dispatcher.ownerThread());
    }

    @Override
    public void close()
    {
        dispatcher.close();
        if (recording != null)
        {
            recording.close();
        }
    }

    /** The plugin's no-op binary message, whatever the workload: what the ring costs with no work behind it. */
    private record NoOpCaller(PluginDispatcher dispatcher) implements Caller
    {
        private static final CallType<byte[], byte[]> NOOP = CallType.binary(Workload.NOOP_MESSAGE_ID);
        private static final byte[] EMPTY = new byte[0];

        @Override
        public void call() throws Exception
        {
            dispatcher.call(NOOP, EMPTY);
        }

        @Override
        public Future<?> submit() throws InterruptedException
        {
            return dispatcher.submit(NOOP, EMPTY);
        }

        @Override
        public void close()
        {
            // Nothing per thread.
        }
    }
}
