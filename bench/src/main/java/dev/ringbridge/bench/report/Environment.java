package dev.ringbridge.bench.report;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where and how the benchmark ran: machine, cores, memory, JDK, JVM options, the code (ringbridge's
 * version, git commit, dependency versions) and the run's settings, shown at the top of the report so
 * that figures are never quoted without their context.
 *
 * @param entries label and value, in display order.
 */
public record Environment(Map<String, String> entries)
{
    /**
     * Reads the machine and JVM, then appends the run's own settings.
     *
     * @param settings the run's settings (profile, durations, capacities...), in display order.
     * @return the environment.
     */
    public static Environment capture(final Map<String, String> settings)
    {
        final Map<String, String> entries = new LinkedHashMap<>();
        entries.put("Date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        entries.put("Host", hostName());
        entries.put("CPU", cpuModel());
        entries.put("Cores", Runtime.getRuntime().availableProcessors() + " available to the JVM");
        final com.sun.management.OperatingSystemMXBean system =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        entries.put("Memory", String.format(Locale.ROOT, "%.1f GiB", system.getTotalMemorySize() / (double)(1L << 30)));
        entries.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        entries.put("Clock source", firstLine(Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource")));
        entries.put("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"));
        entries.put("JVM options", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        entries.put("GC", ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        entries.putAll(BuildInfo.entries());
        entries.putAll(settings);
        return new Environment(Collections.unmodifiableMap(entries));
    }

    private static String hostName()
    {
        final String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank())
        {
            return fromEnvironment;
        }
        final String fromFile = firstLine(Path.of("/etc/hostname"));
        return fromFile.isEmpty() ? "unknown" : fromFile;
    }

    private static String cpuModel()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo")))
        {
            return lines.filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElse(System.getProperty("os.arch"));
        }
        catch (final IOException | RuntimeException e)
        {
            return System.getProperty("os.arch");
        }
    }

    private static String firstLine(final Path file)
    {
        try (Stream<String> lines = Files.lines(file))
        {
            return lines.findFirst().orElse("").trim();
        }
        catch (final IOException | RuntimeException e)
        {
            return "";
        }
    }
}
