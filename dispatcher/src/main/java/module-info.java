/**
 * Serialized calls into one native plugin through an LMAX Disruptor ring
 * ({@link dev.ringbridge.dispatcher.PluginDispatcher}): blocking backpressure, futures, clean shutdown, HdrHistogram
 * metrics.
 *
 * <p>Needs no native access of its own: the restricted calls are made in {@code dev.ringbridge.ffi}. Typed calls
 * ({@code CallType.typed}) read and write your request and response types with Jackson: on the module path, open
 * their package to {@code com.fasterxml.jackson.databind}.
 */
module dev.ringbridge.dispatcher
{
    requires transitive dev.ringbridge.ffi;
    // MetricsSnapshot hands out HdrHistogram's Histogram. HdrHistogram has no module descriptor: this is the name
    // the JVM derives from its jar, HdrHistogram-<version>.jar.
    requires transitive HdrHistogram;
    requires com.lmax.disruptor;
    // Flight Recorder events (FlightEvents); part of every JDK.
    requires jdk.jfr;
    // CallType.typed takes an ObjectMapper.
    requires transitive com.fasterxml.jackson.databind;

    exports dev.ringbridge.dispatcher;
}
