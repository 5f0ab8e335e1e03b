package dev.ringbridge.ffi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration passed to {@code plugin_init} as JSON (plugin-abi.md section 4.1).
 *
 * <p>Immutable; build one with {@link #builder()}. Keys that were not set are left out, so the
 * plugin applies its own defaults. Values under {@code data} and {@code init_params} may be
 * strings, numbers, booleans, {@code null}, lists and maps of those.
 */
public final class PluginConfig
{
    private static final JsonFactory JSON = new JsonFactory();
    private static final PluginConfig DEFAULTS = builder().build();

    private final Integer workerThreads;
    private final LogLevel logLevel;
    private final Integer maxConcurrentOps;
    private final Long shutdownTimeoutMs;
    private final Map<String, Object> data;
    private final Map<String, Object> initParams;

    private PluginConfig(final Builder builder)
    {
        this.workerThreads = builder.workerThreads;
        this.logLevel = builder.logLevel;
        this.maxConcurrentOps = builder.maxConcurrentOps;
        this.shutdownTimeoutMs = builder.shutdownTimeoutMs;
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(builder.data));
        this.initParams = Collections.unmodifiableMap(new LinkedHashMap<>(builder.initParams));
    }

    /**
     * Returns a configuration that sets nothing, so every plugin default applies.
     *
     * @return a configuration that sets nothing, so every plugin default applies.
     */
    public static PluginConfig defaults()
    {
        return DEFAULTS;
    }

    /**
     * Returns a new builder.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Returns the log level asked for, or null when the plugin's default (info) applies.
     *
     * @return the log level asked for, or null when the plugin's default (info) applies.
     */
    public LogLevel logLevel()
    {
        return logLevel;
    }

    /**
     * Returns the plugin-specific settings under {@code data}.
     *
     * @return the plugin-specific settings under {@code data}.
     */
    public Map<String, Object> data()
    {
        return data;
    }

    /**
     * Writes this configuration as the JSON object {@code plugin_init} expects.
     *
     * @return UTF-8 JSON bytes.
     */
    public byte[] toJson()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JSON.createGenerator(out))
        {
            json.writeStartObject();
            if (!data.isEmpty())
            {
                json.writeFieldName("data");
                writeValue(json, data);
            }
            if (!initParams.isEmpty())
            {
                json.writeFieldName("init_params");
                writeValue(json, initParams);
            }
            if (workerThreads != null)
            {
                json.writeNumberField("worker_threads", workerThreads);
            }
            if (logLevel != null)
            {
                json.writeStringField("log_level", logLevel.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (maxConcurrentOps != null)
            {
                json.writeNumberField("max_concurrent_ops", maxConcurrentOps);
            }
            if (shutdownTimeoutMs != null)
            {
                json.writeNumberField("shutdown_timeout_ms", shutdownTimeoutMs);
            }
            json.writeEndObject();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeValue(final JsonGenerator json, final Object value) throws IOException
    {
        switch (value)
        {
            case null -> json.writeNull();
            case String s -> json.writeString(s);
            case Boolean b -> json.writeBoolean(b);
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double d -> json.writeNumber(d);
            case Float f -> json.writeNumber(f);
            case java.math.BigInteger b -> json.writeNumber(b);
            case java.math.BigDecimal b -> json.writeNumber(b);
            case Number n -> json.writeNumber(n.longValue());
            case Map<?, ?> map ->
            {
                json.writeStartObject();
                for (final Map.Entry<?, ?> entry : map.entrySet())
                {
                    json.writeFieldName(String.valueOf(entry.getKey()));
                    writeValue(json, entry.getValue());
                }
                json.writeEndObject();
            }
            case List<?> list ->
            {
                json.writeStartArray();
                for (final Object item : list)
                {
                    writeValue(json, item);
                }
                json.writeEndArray();
            }
            default -> throw new IllegalArgumentException(
                "config value of type " + value.getClass().getName() + " cannot be written as JSON: " + value);
        }
    }

    @Override
    public String toString()
    {
        return "PluginConfig" + new String(toJson(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Builds a {@link PluginConfig}. Not thread-safe.
     */
    public static final class Builder
    {
        private Integer workerThreads;
        private LogLevel logLevel;
        private Integer maxConcurrentOps;
        private Long shutdownTimeoutMs;
        private final Map<String, Object> data = new LinkedHashMap<>();
        private final Map<String, Object> initParams = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * Returns this builder.
         *
         * @param workerThreads worker threads of the plugin's runtime, at least 1.
         * @return this builder.
         */
        public Builder workerThreads(final int workerThreads)
        {
            if (workerThreads < 1)
            {
                throw new IllegalArgumentException("workerThreads must be at least 1, was " + workerThreads);
            }
            this.workerThreads = workerThreads;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param logLevel the initial log level of the plugin library.
         * @return this builder.
         */
        public Builder logLevel(final LogLevel logLevel)
        {
            this.logLevel = Objects.requireNonNull(logLevel, "logLevel");
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param maxConcurrentOps the most calls the plugin runs at once before it rejects with code 13;
         * 0 means unlimited.
         * @return this builder.
         */
        public Builder maxConcurrentOps(final int maxConcurrentOps)
        {
            if (maxConcurrentOps < 0)
            {
                throw new IllegalArgumentException("maxConcurrentOps must be 0 (unlimited) or more, was " + maxConcurrentOps);
            }
            this.maxConcurrentOps = maxConcurrentOps;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param shutdownTimeoutMs passed through to the plugin (the reference runtime ignores it).
         * @return this builder.
         */
        public Builder shutdownTimeoutMs(final long shutdownTimeoutMs)
        {
            if (shutdownTimeoutMs < 0)
            {
                throw new IllegalArgumentException("shutdownTimeoutMs must not be negative, was " + shutdownTimeoutMs);
            }
            this.shutdownTimeoutMs = shutdownTimeoutMs;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param key   a key under {@code data}.
         * @param value its value.
         * @return this builder.
         */
        public Builder data(final String key, final Object value)
        {
            data.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param key   a key under {@code init_params}.
         * @param value its value.
         * @return this builder.
         */
        public Builder initParam(final String key, final Object value)
        {
            initParams.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /**
         * Returns the configuration.
         *
         * @return the configuration.
         * @throws IllegalArgumentException when a data or init value cannot be written as JSON.
         */
        public PluginConfig build()
        {
            final PluginConfig config = new PluginConfig(this);
            config.toJson(); // reject unwritable values here, where the caller can see which one
            return config;
        }
    }
}
