package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static dev.ringbridge.ffi.bundle.TestBundles.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleManifestTest
{
    private static final String SHA = "ab".repeat(32);
    private static final String LIBRARY = "lib/linux-x86_64/release/libtest.so";

    @Test
    void shouldReadTheSampleManifest() throws Exception
    {
        final BundleManifest manifest = BundleManifest.parse(TestBundles.resource("sample/manifest.json"));
        assertEquals("1.0", manifest.bundleVersion());
        assertEquals(new BundleManifest.PluginInfo("sync-demo", "0.1.0", "ringbridge sample plugin: echo, sleep and test handlers"),
            manifest.plugin());
        assertEquals(Set.of("linux-x86_64"), manifest.platforms());
        assertEquals(Set.of("release"), manifest.variants("linux-x86_64"));
        assertEquals(Set.of(), manifest.variants("darwin-aarch64"));
        assertEquals(TestBundles.SAMPLE_LIBRARY, manifest.variant("linux-x86_64", "release").library());
        assertEquals(TestBundles.publicKey("trusted"), manifest.publicKey().orElseThrow());
    }

    @Test
    void shouldListSeveralPlatformsAndVariantsSortedAndReadSchemas() throws Exception
    {
        final BundleManifest manifest = parse("""
            {"bundle_version": "1.2", "plugin": {"name": "p", "version": "2", "authors": ["x"]},
             "build_info": {"built_by": "ci"}, "unknown": [1, {"a": null}],
             "platforms": {
               "linux-x86_64": {"variants": {
                 "release": {"library": "lib/a/libp.so", "checksum": "sha256:%1$s", "build": {"profile": "release"}},
                 "debug-asan": {"library": "lib/b/libp.so", "checksum": "sha256:%1$s"}}},
               "darwin-aarch64": {"variants": {"release": {"library": "lib/c/libp.dylib", "checksum": "sha256:%1$s"}}}},
             "schemas": {"messages.h": {"path": "schema/messages.h", "format": "c-header", "checksum": "%2$s"}}}
            """.formatted(SHA, SHA.toUpperCase()));
        assertEquals(List.of("darwin-aarch64", "linux-x86_64"), List.copyOf(manifest.platforms()));
        assertEquals(List.of("debug-asan", "release"), List.copyOf(manifest.variants("linux-x86_64")));
        final BundleManifest.Schema schema = manifest.schemas().get("messages.h");
        assertEquals(new BundleManifest.Schema("messages.h", "schema/messages.h", "c-header", SHA, null), schema);
        assertNull(manifest.plugin().description());
        assertTrue(manifest.publicKey().isEmpty());
    }

    @Test
    void shouldReadTheBuildInfoAndSbomOfFormatOnePointOne() throws Exception
    {
        final BundleManifest manifest = parse("""
            {"bundle_version": "1.1", "plugin": {"name": "p", "version": "1.0.0"},
             "platforms": {"linux-x86_64": {"variants": {"release": {"library": "%s", "checksum": "sha256:%s"}}}},
             "build_info": {"built_by": "GitHub Actions", "built_at": "2025-01-26T10:30:00Z", "host": "x86_64-unknown-linux-gnu",
               "compiler": "rustc 1.90.0", "rustbridge_version": "0.10.0",
               "git": {"commit": "a1b2c3d4e5f6", "branch": "main", "tag": "v1.0.0", "dirty": false, "extra": 1},
               "custom": {"ci_job_id": "12345", "repository": "https://example.com/p"}, "later": {"x": [1]}},
             "sbom": {"cyclonedx": "sbom/sbom.cdx.json", "spdx": "sbom/sbom.spdx.json"},
             "schema_checksum": "sha256:%2$s", "notices": "docs/NOTICES.txt", "license_file": "legal/LICENSE"}
            """.formatted(LIBRARY, SHA));
        assertEquals("1.1", manifest.bundleVersion());
        assertEquals(new BundleManifest.BuildInfo("GitHub Actions", "2025-01-26T10:30:00Z", "x86_64-unknown-linux-gnu", "rustc 1.90.0",
            "0.10.0", new BundleManifest.Git("a1b2c3d4e5f6", "main", "v1.0.0", false),
            java.util.Map.of("ci_job_id", "12345", "repository", "https://example.com/p")), manifest.buildInfo().orElseThrow());
        assertEquals(new BundleManifest.Sbom("sbom/sbom.cdx.json", "sbom/sbom.spdx.json"), manifest.sbom().orElseThrow());
    }

    @Test
    void shouldHaveNoBuildInfoNorSbomInAFormatOnePointZeroManifest() throws Exception
    {
        final BundleManifest manifest = BundleManifest.parse(TestBundles.resource("sample/manifest.json"));
        assertTrue(manifest.buildInfo().isEmpty());
        assertTrue(manifest.sbom().isEmpty());
    }

    @Test
    void shouldRefuseUnsafeSbomPathsAndAGitWithoutCommit()
    {
        final String start = """
            {"bundle_version": "1.1", "plugin": {"name": "p", "version": "1"},
             "platforms": {"linux-x86_64": {"variants": {"release": {"library": "%s", "checksum": "sha256:%s"}}}},
            """.formatted(LIBRARY, SHA);
        final PluginLoadException path = assertThrows(PluginLoadException.class,
            () -> parse(start + "\"sbom\": {\"spdx\": \"../sbom.json\"}}"));
        assertTrue(path.getMessage().contains("manifest field sbom.spdx is refused"), path.getMessage());
        final PluginLoadException git = assertThrows(PluginLoadException.class,
            () -> parse(start + "\"build_info\": {\"git\": {\"branch\": \"main\"}}}"));
        assertTrue(git.getMessage().contains("build_info.git.commit"), git.getMessage());
        final PluginLoadException dirty = assertThrows(PluginLoadException.class,
            () -> parse(start + "\"build_info\": {\"git\": {\"commit\": \"c\", \"dirty\": \"no\"}}}"));
        assertTrue(dirty.getMessage().contains("build_info.git.dirty must be a boolean"), dirty.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0", "1.2", "1.10.3"})
    void shouldAcceptBundleVersionsWithMajorVersionOne(final String version) throws Exception
    {
        assertEquals(version, parse(manifestWith("\"bundle_version\": \"" + version + "\"")).bundleVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0", "0.9", "2"})
    void shouldRefuseOtherMajorBundleVersions(final String version)
    {
        assertRefused(manifestWith("\"bundle_version\": \"" + version + "\""),
            "bundle_version is " + version + ": this loader reads bundle format 1.x only");
    }

    @Test
    void shouldRefuseABundleVersionThatIsNotAVersion()
    {
        assertRefused(manifestWith("\"bundle_version\": \"one\""), "bundle_version must be a version such as 1.0, was 'one'");
    }

    @Test
    void shouldNameEachMissingRequiredField()
    {
        assertRefused(minimal().replace("\"bundle_version\": \"1.0\",", ""), "missing the required field bundle_version");
        assertRefused(minimal().replace("\"name\": \"test\", ", ""), "missing the required field plugin.name");
        assertRefused(minimal().replace(", \"version\": \"1.0.0\"", ""), "missing the required field plugin.version");
        assertRefused("{\"bundle_version\": \"1.0\", \"platforms\": {}}", "platforms is empty");
        assertRefused("{\"bundle_version\": \"1.0\", \"plugin\": {\"name\": \"n\", \"version\": \"1\"}}",
            "missing the required field platforms");
        assertRefused(minimal().replace("\"library\": \"" + LIBRARY + "\", ", ""),
            "missing the required field platforms.linux-x86_64.variants.release.library");
        assertRefused(minimal().replace(", \"checksum\": \"sha256:" + SHA + "\"", ""),
            "missing the required field platforms.linux-x86_64.variants.release.checksum");
        assertRefused("{\"bundle_version\": \"1.0\", \"plugin\": {\"name\": \"n\", \"version\": \"1\"},"
            + " \"platforms\": {\"linux-x86_64\": {\"library\": \"x.so\", \"checksum\": \"sha256:" + SHA + "\"}}}",
            "missing the required field platforms.linux-x86_64.variants");
    }

    @Test
    void shouldNameFieldsOfTheWrongType()
    {
        assertRefused(minimal().replace("\"name\": \"test\"", "\"name\": 7"), "plugin.name must be a non-empty string, found a number");
        assertRefused(minimal().replace("\"name\": \"test\"", "\"name\": \"\""), "plugin.name must be a non-empty string");
        assertRefused("[]", "must be a JSON object, found an array");
        assertRefused(minimal().replace("\"1.0\"", "1.0"), "bundle_version must be a non-empty string, found a number");
    }

    @Test
    void shouldRequireAReleaseVariant()
    {
        assertRefused(minimal().replace("\"release\"", "\"debug\""), "platforms.linux-x86_64.variants has no 'release' variant");
    }

    @Test
    void shouldRefuseBadVariantNames()
    {
        assertRefused(minimal().replace("{\"release\"", "{\"Bad_Name\": {}, \"release\""), "variant named 'Bad_Name'");
    }

    @Test
    void shouldRefuseUnknownPlatforms()
    {
        assertRefused(minimal().replace("linux-x86_64", "plan9-mips"), "unknown platform 'plan9-mips'; known platforms: darwin-aarch64");
    }

    @Test
    void shouldRequireALibraryChecksumWithItsPrefix()
    {
        assertRefused(minimal().replace("sha256:" + SHA, SHA),
            "platforms.linux-x86_64.variants.release.checksum must be sha256:<64 hex digits>");
        assertRefused(minimal().replace("sha256:" + SHA, "sha256:abc"), "checksum must be sha256:<64 hex digits>, was 'sha256:abc'");
        assertRefused(minimal().replace("sha256:" + SHA, "md5:" + SHA), "checksum must be sha256:<64 hex digits>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../libevil.so", "/usr/lib/libevil.so", "lib\\\\libevil.so", "lib/./libevil.so", "lib/"})
    void shouldRefuseLibraryPathsThatCouldEscape(final String path)
    {
        assertRefused(minimal().replace(LIBRARY, path), "platforms.linux-x86_64.variants.release.library is refused: the path");
    }

    @Test
    void shouldRefuseSchemaPathsThatCouldEscape()
    {
        assertRefused(minimal().replace("}}}}}", "}}}}, \"schemas\": {\"s\": {\"path\": \"../s.json\", \"checksum\": \"" + SHA + "\"}}}"),
            "schemas.s.path is refused: the path '../s.json' contains '..'");
    }

    @Test
    void shouldRefuseDuplicateKeys()
    {
        assertRefused(minimal().replace("\"library\":", "\"library\": \"lib/other.so\", \"library\":"),
            "Duplicate field 'library'");
    }

    @Test
    void shouldRefuseMalformedJsonAndTrailingContent()
    {
        assertRefused("{\"bundle_version\": ", "manifest.json is not valid JSON");
        assertRefused(minimal() + "{}", "content after its top-level object");
        assertRefused("", "found nothing");
    }

    @Test
    void shouldNameThePlatformsTheBundleHasWhenOneIsMissing() throws Exception
    {
        final BundleManifest manifest = parse(minimal());
        final PluginLoadException platform = assertThrows(PluginLoadException.class, () -> manifest.variant("darwin-aarch64", "release"));
        assertTrue(platform.getMessage().contains("no library for platform darwin-aarch64; it has: linux-x86_64"), platform.getMessage());
        final PluginLoadException variant = assertThrows(PluginLoadException.class, () -> manifest.variant("linux-x86_64", "debug"));
        assertTrue(variant.getMessage().contains("no variant debug for platform linux-x86_64; it has: release"), variant.getMessage());
    }

    private static String minimal()
    {
        return "{\"bundle_version\": \"1.0\", \"plugin\": {\"name\": \"test\", \"version\": \"1.0.0\"}, \"platforms\": {\"linux-x86_64\":"
            + " {\"variants\": {\"release\": {\"library\": \"" + LIBRARY + "\", \"checksum\": \"sha256:" + SHA + "\"}}}}}";
    }

    private static String manifestWith(final String bundleVersionField)
    {
        return minimal().replace("\"bundle_version\": \"1.0\"", bundleVersionField);
    }

    private static BundleManifest parse(final String json) throws PluginLoadException
    {
        return BundleManifest.parse(utf8(json));
    }

    private static void assertRefused(final String json, final String expected)
    {
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
