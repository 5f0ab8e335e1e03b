/**
 * Optional: publishes a ringbridge dispatcher's or pool's metrics to Micrometer
 * ({@link dev.ringbridge.micrometer.RingbridgeMetrics}). Only reads: the dispatcher's owner thread does nothing more.
 */
module dev.ringbridge.micrometer
{
    requires transitive dev.ringbridge.dispatcher;
    // RingbridgeMetrics is a MeterBinder. Micrometer has no module descriptor: this is the name its jar's manifest
    // gives it (Automatic-Module-Name).
    requires transitive micrometer.core;

    exports dev.ringbridge.micrometer;
}
