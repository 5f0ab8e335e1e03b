package dev.ringbridge.dispatcher;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * ringbridge's JDK Flight Recorder events, under the category "ringbridge". They cost nothing without a recording:
 * the JVM instruments an event class only while a recording enables it, and until then its {@code isEnabled()} is a
 * constant false. The per-call event has a duration threshold, so a recording with default settings pays two clock
 * readings and a comparison per call and writes only the slow calls.
 */
final class FlightEvents
{
    private FlightEvents()
    {
    }

    /** One call that entered the plugin, on the owner thread; its duration is the native call (service time). */
    @Name("dev.ringbridge.Call")
    @Label("Plugin Call")
    @Category("ringbridge")
    @Description("A call into a native plugin that took longer than the threshold, timed on the dispatcher's owner thread")
    @Enabled
    @Threshold("10 ms")
    @StackTrace(false)
    static final class Call extends Event
    {
        @Label("Plugin")
        String plugin;

        @Label("Type")
        @Description("The JSON type tag, or binary:<message id>")
        String type;

        @Label("Queue Wait")
        @Description("From submit until the owner thread started the call; 0 when the dispatcher's metrics are off")
        @Timespan(Timespan.NANOSECONDS)
        long queueWait;

        @Label("Outcome")
        @Description("success, plugin error or host error")
        String outcome;

        @Label("Error Code")
        @Description("The plugin's error code, 0 for success")
        int errorCode;
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
