package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config JSON handed to {@code plugin_init}: rustbridge's field names, only the fields set, every value type. */
class PluginConfigTest
{
    private static String json(final PluginConfig config)
    {
        return new String(config.toJson(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteEveryFieldUnderItsAbiName()
    {
        final PluginConfig config = PluginConfig.builder()
            .workerThreads(1).logLevel(LogLevel.WARN).maxConcurrentOps(0).shutdownTimeoutMs(0)
            .data("greeting", "hi").initParam("mode", "fast").build();
        assertEquals("{\"data\":{\"greeting\":\"hi\"},\"init_params\":{\"mode\":\"fast\"},\"worker_threads\":1,"
            + "\"log_level\":\"warn\",\"max_concurrent_ops\":0,\"shutdown_timeout_ms\":0}", json(config));
        assertEquals(LogLevel.WARN, config.logLevel());
        assertEquals(Map.of("greeting", "hi"), config.data());
        assertEquals("PluginConfig" + json(config), config.toString());
    }

    @Test
    void shouldWriteNothingForTheDefaults()
    {
        assertEquals("{}", json(PluginConfig.defaults()));
        assertSame(PluginConfig.defaults(), PluginConfig.defaults());
        assertNull(PluginConfig.defaults().logLevel());
        assertEquals(Map.of(), PluginConfig.defaults().data());
        assertEquals("{\"init_params\":{\"n\":1}}", json(PluginConfig.builder().initParam("n", 1).build()));
        assertEquals("{\"shutdown_timeout_ms\":5000}", json(PluginConfig.builder().shutdownTimeoutMs(5000).build()));
        assertEquals("{\"worker_threads\":8}", json(PluginConfig.builder().workerThreads(8).build()));
    }

    @Test
    void shouldWriteEveryKindOfValueAsJson()
    {
        final Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("on", true);
        nested.put("off", false);
        nested.put(null, "null key");
        final PluginConfig config = PluginConfig.builder()
            .data("s", "text \"quoted\"").data("i", 7).data("l", 1L << 40).data("d", 1.5).data("f", 2.5f)
            .data("big", new BigInteger("123456789012345678901234567890")).data("dec", new BigDecimal("0.1"))
            .data("short", (short)3).data("atomic", new AtomicInteger(9)).data("none", null)
            .data("map", nested).data("list", Arrays.asList(List.of(1, 2), null, "x")).build();
        assertEquals("{\"data\":{\"s\":\"text \\\"quoted\\\"\",\"i\":7,\"l\":1099511627776,\"d\":1.5,\"f\":2.5,"
            + "\"big\":123456789012345678901234567890,\"dec\":0.1,\"short\":3,\"atomic\":9,\"none\":null,"
            + "\"map\":{\"on\":true,\"off\":false,\"null\":\"null key\"},\"list\":[[1,2],null,\"x\"]}}", json(config));
    }

    @Test
    void shouldKeepItsValuesWhenTheBuilderChangesAfterwards()
    {
        final PluginConfig.Builder builder = PluginConfig.builder().data("a", 1);
        final PluginConfig first = builder.build();
        builder.data("b", 2).initParam("c", 3);
        assertEquals("{\"data\":{\"a\":1}}", json(first));
        assertThrows(UnsupportedOperationException.class, () -> first.data().put("x", 1));
    }

    @Test
    void shouldRefuseOutOfRangeSettingsNamingTheValue()
    {
        final PluginConfig.Builder builder = PluginConfig.builder();
        assertEquals("workerThreads must be at least 1, was 0",
            assertThrows(IllegalArgumentException.class, () -> builder.workerThreads(0)).getMessage());
        assertEquals("maxConcurrentOps must be 0 (unlimited) or more, was -1",
            assertThrows(IllegalArgumentException.class, () -> builder.maxConcurrentOps(-1)).getMessage());
        assertEquals("shutdownTimeoutMs must not be negative, was -1",
            assertThrows(IllegalArgumentException.class, () -> builder.shutdownTimeoutMs(-1)).getMessage());
        assertEquals("logLevel", assertThrows(NullPointerException.class, () -> builder.logLevel(null)).getMessage());
        assertEquals("key", assertThrows(NullPointerException.class, () -> builder.data(null, 1)).getMessage());
        assertEquals("key", assertThrows(NullPointerException.class, () -> builder.initParam(null, 1)).getMessage());
        final IllegalArgumentException unwritable = assertThrows(IllegalArgumentException.class,
            () -> PluginConfig.builder().initParam("list", List.of(new Object())).build());
        assertTrue(unwritable.getMessage().startsWith("config value of type java.lang.Object cannot be written as JSON: "),
            unwritable.getMessage());
        assertEquals("{}", json(builder.build()), "a refused setting leaves nothing behind");
    }
}
