package dev.ringbridge.dispatcher;

import java.util.Set;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.SettingControl;
import jdk.jfr.SettingDefinition;
import jdk.jfr.Timespan;

/**
 * ringbridge's JDK Flight Recorder events, under the category "ringbridge". The lifecycle events are rare and use JFR's
 * usual pattern ({@code shouldCommit()}, then {@code commit()}).
 *
 * <p>The per-call event is built for the owner thread's hot path. JFR would time it with its own clock, two readings per
 * call whenever a recording enables it (about 25 ns each on a VM without a trusted TSC). Instead the event carries the
 * service time the owner measures anyway for its metrics, and its threshold is a setting of its own,
 * {@code serviceThreshold} (default 10 ms): {@link ServiceThreshold} keeps the value of the running recordings in a
 * static field, so every call costs one comparison with it, and only a call over it makes an event and asks
 * {@code shouldCommit()} (the event enabled, the threshold met). The event's own duration is zero and its start time the
 * end of the call.
 */
final class FlightEvents
{
    private FlightEvents()
    {
    }

    /** One call that entered the plugin and ran at least the {@code serviceThreshold}, recorded on the owner thread. */
    @Name("dev.ringbridge.Call")
    @Label("Plugin Call")
    @Category("ringbridge")
    @Description("A call into a native plugin whose service time reached the serviceThreshold setting, timed on the "
        + "dispatcher's owner thread (needs the dispatcher's metrics, which are on by default)")
    @Enabled
    @StackTrace(false)
    static final class Call extends Event
    {
        @Label("Plugin")
        String plugin;

        @Label("Type")
        @Description("The JSON type tag, or binary:<message id>")
        String type;

        @Label("Service Time")
        @Description("The native call itself")
        @Timespan(Timespan.NANOSECONDS)
        long serviceTime;

        @Label("Queue Wait")
        @Description("From submit until the owner thread started the call")
        @Timespan(Timespan.NANOSECONDS)
        long queueWait;

        @Label("Outcome")
        @Description("success, plugin error or host error")
        String outcome;

        @Label("Error Code")
        @Description("The plugin's error code, 0 for success")
        int errorCode;

        @Label("Service Threshold")
        @Description("Record only calls whose service time reaches this (default 10 ms)")
        @SettingDefinition
        boolean serviceThreshold(final ServiceThreshold threshold)
        {
            return serviceTime >= threshold.thresholdNanos();
        }
    }

    /**
     * The {@code serviceThreshold} setting of {@link Call}: the smallest value of the running recordings, kept where the
     * owner thread compares each call's service time with it, or {@link Long#MAX_VALUE} while no recording enables the
     * event. JFR calls {@link #setValue} when a recording starts or stops; it does not call it when the last recording
     * that enabled the event stops, so a {@link FlightRecorderListener} puts the field back to "never" then.
     */
    public static final class ServiceThreshold extends SettingControl
    {
        static final String DEFAULT = "10 ms";
        /** Written by JFR's setting updates and recording changes, read by every owner thread after each call. */
        static volatile long nanos = Long.MAX_VALUE;
        /** The value of the running recordings, applied to {@link #nanos} while the event is enabled. */
        private static volatile long configured = TimeSpans.parseNanos(DEFAULT);

        static
        {
            // Registering a listener does not start JFR; its callbacks come only once something else has.
            FlightRecorder.addListener(new FlightRecorderListener()
            {
                @Override
                public void recordingStateChanged(final Recording recording)
                {
                    follow();
                }
            });
            if (FlightRecorder.isInitialized())
            {
                follow();
            }
        }

        private String value = DEFAULT;

        /** For JFR, which makes one when the event registers. */
        public ServiceThreshold()
        {
        }

        /** After a recording started or stopped: the threshold while a running recording enables the event, else "never". */
        private static synchronized void follow()
        {
            boolean enabled;
            try
            {
                enabled = EventType.getEventType(Call.class).isEnabled();
            }
            catch (final IllegalStateException notRegistered)
            {
                enabled = false;
            }
            nanos = enabled ? configured : Long.MAX_VALUE;
        }

        @Override
        public String combine(final Set<String> values)
        {
            String smallest = null;
            long smallestNanos = Long.MAX_VALUE;
            for (final String candidate : values)
            {
                final long candidateNanos = TimeSpans.parseNanos(candidate);
                if (candidateNanos >= 0 && candidateNanos < smallestNanos)
                {
                    smallest = candidate;
                    smallestNanos = candidateNanos;
                }
            }
            return smallest == null ? DEFAULT : smallest;
        }

        @Override
        public void setValue(final String newValue)
        {
            final long parsed = TimeSpans.parseNanos(newValue);
            if (parsed >= 0)
            {
                value = newValue;
                configured = parsed;
                // A recording applies its settings: it may be registering the event right now, when asking JFR whether
                // the event is enabled fails. Follow the value; the recording's state change corrects it if disabled.
                synchronized (ServiceThreshold.class)
                {
                    nanos = parsed;
                }
            }
        }

        @Override
        public String getValue()
        {
            return value;
        }

        long thresholdNanos()
        {
            return configured;
        }
    }

    /** A dispatcher's owner thread has started and opened its plugin (or failed to). */
    @Name("dev.ringbridge.DispatcherStart")
    @Label("Dispatcher Start")
    @Category("ringbridge")
    @StackTrace(false)
    static final class DispatcherStart extends Event
    {
        @Label("Plugin")
        String plugin;

        @Label("Capacity")
        int capacity;

        @Label("Opened")
        @Description("False when the owner thread could not open the plugin: every call will fail")
        boolean opened;
    }

    /** A dispatcher's owner thread has run its last call and released its plugin. */
    @Name("dev.ringbridge.DispatcherStop")
    @Label("Dispatcher Stop")
    @Category("ringbridge")
    @StackTrace(false)
    static final class DispatcherStop extends Event
    {
        @Label("Plugin")
        String plugin;

        @Label("Calls Finished")
        long finished;
    }

    /** A plugin panicked and is now FAILED: every later call into it fails. */
    @Name("dev.ringbridge.PluginFailed")
    @Label("Plugin Failed")
    @Category("ringbridge")
    @StackTrace(false)
    static final class PluginFailed extends Event
    {
        @Label("Plugin")
        String plugin;

        @Label("Type")
        @Description("The call's type that panicked")
        String type;
    }

    /** A pool's supervisor replaced a failed instance, or gave its slot up. */
    @Name("dev.ringbridge.InstanceRestart")
    @Label("Instance Restart")
    @Category("ringbridge")
    @StackTrace(false)
    static final class InstanceRestart extends Event
    {
        @Label("Pool")
        String pool;

        @Label("Slot")
        int slot;

        @Label("Restarts")
        @Description("Restarts of this slot so far, this one included")
        long restarts;

        @Label("Outcome")
        @Description("RESTARTED, START_FAILED or DEAD")
        String outcome;

        @Label("Cause")
        String cause;

        @Label("Downtime")
        @Description("From the failure to this event")
        @Timespan(Timespan.NANOSECONDS)
        long downtime;
    }
}
