package dev.ringbridge.ffi.bundle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlatformKeyTest
{
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "Linux, amd64, linux-x86_64",
        "Linux, x86_64, linux-x86_64",
        "Linux, aarch64, linux-aarch64",
        "Mac OS X, aarch64, darwin-aarch64",
        "Darwin, x86_64, darwin-x86_64",
        "Windows 11, amd64, windows-x86_64",
        "Windows Server 2022, arm64, windows-aarch64",
        "FreeBSD, amd64, unknown-x86_64",
        "Linux, riscv64, linux-riscv64",
    })
    void shouldMapJavaSystemNamesToBundlePlatformKeys(final String osName, final String osArch, final String key)
    {
        assertEquals(key, PlatformKey.of(osName, osArch));
    }
}
