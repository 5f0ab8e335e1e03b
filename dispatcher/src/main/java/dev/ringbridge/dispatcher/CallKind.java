package dev.ringbridge.dispatcher;

/**
 * What a ring slot asks the owner thread to do.
 */
enum CallKind
{
    /** JSON handler, request and response as {@code String}. */
    JSON_TEXT,
    /** JSON handler, request and response as UTF-8 {@code byte[]}. */
    JSON_BYTES,
    /** Binary handler, request and response as {@code byte[]}. */
    RAW_BYTES,
    /** Binary handler, request and response in the caller's memory segments. */
    RAW_SEGMENTS,
    /** The last event: the owner thread releases the plugin and stops. */
    STOP
}
