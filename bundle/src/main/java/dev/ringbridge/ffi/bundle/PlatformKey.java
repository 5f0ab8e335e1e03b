package dev.ringbridge.ffi.bundle;

import java.util.Locale;
import java.util.Set;

/**
 * The platform keys a bundle files its libraries under (plugin-abi.md sections 5.3 and 5.5), such as
 * {@code linux-x86_64}: an operating system and a CPU architecture joined by a hyphen.
 */
public final class PlatformKey
{
    /** Every key the rustbridge bundle format defines; a manifest naming any other key is refused. */
    public static final Set<String> KNOWN = Set.of(
        "linux-x86_64", "linux-aarch64", "darwin-x86_64", "darwin-aarch64", "windows-x86_64", "windows-aarch64");

    private PlatformKey()
    {
    }

    /**
     * Returns the key of the machine this JVM runs on, from {@code os.name} and {@code os.arch}.
     *
     * @return the key of the machine this JVM runs on, from {@code os.name} and {@code os.arch}.
     */
    public static String current()
    {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * Maps Java's names the way the reference Java host does, so both pick the same library.
     *
     * @param osName a value of {@code os.name}, for example {@code Linux} or {@code Mac OS X}.
     * @param osArch a value of {@code os.arch}, for example {@code amd64} or {@code aarch64}.
     * @return the platform key; an unrecognised system or architecture yields a key no bundle has,
     *         such as {@code unknown-riscv64}, so the loader's error then lists what the bundle offers.
     */
    public static String of(final String osName, final String osArch)
    {
        final String os = osName.toLowerCase(Locale.ROOT);
        final String arch = osArch.toLowerCase(Locale.ROOT);
        return operatingSystem(os) + "-" + architecture(arch);
    }

    /**
     * Returns true when the bundle format defines it.
     *
     * @param key a platform key.
     * @return true when the bundle format defines it.
     */
    public static boolean isKnown(final String key)
    {
        return KNOWN.contains(key);
    }

    private static String operatingSystem(final String os)
    {
        if (os.contains("linux"))
        {
            return "linux";
        }
        if (os.contains("mac") || os.contains("darwin"))
        {
            return "darwin";
        }
        if (os.contains("win"))
        {
            return "windows";
        }
        return "unknown";
    }

    private static String architecture(final String arch)
    {
        if (arch.contains("amd64") || arch.contains("x86_64"))
        {
            return "x86_64";
        }
        if (arch.contains("aarch64") || arch.contains("arm64"))
        {
            return "aarch64";
        }
        return arch;
    }
}
