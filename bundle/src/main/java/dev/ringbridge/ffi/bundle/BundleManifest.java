package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bundle's {@code manifest.json} (plugin-abi.md section 5.2), checked and immutable: the plugin's
 * identity, which library to use for each platform and variant with its SHA-256, the schemas with
 * theirs, and the public key the bundle names for itself.
 *
 * <p>Only what a loader needs is kept. Other fields ({@code build_info}, {@code sbom}, {@code bridges}
 * and unknown keys) are read past and ignored, as both reference loaders do.
 */
public final class BundleManifest
{
    /**
     * The {@code plugin} section.
     *
     * @param name        the plugin's name.
     * @param version     the plugin's version.
     * @param description what it does, or null when the manifest has none.
     */
    public record PluginInfo(String name, String version, String description)
    {
    }

    /**
     * One library build of the plugin, for one platform.
     *
     * @param platform the platform key, such as {@code linux-x86_64}.
     * @param name     the variant's name, such as {@code release}.
     * @param library  the library's path inside the bundle.
     * @param sha256   the library's SHA-256, 64 lowercase hex digits.
     */
    public record Variant(String platform, String name, String library, String sha256)
    {
    }

    /**
     * One schema file shipped with the plugin.
     *
     * @param name        its key in the manifest's {@code schemas} map.
     * @param path        its path inside the bundle.
     * @param format      {@code json-schema}, {@code c-header} or {@code unknown}.
     * @param sha256      its SHA-256, 64 lowercase hex digits.
     * @param description what it describes, or null.
     */
    public record Schema(String name, String path, String format, String sha256, String description)
    {
    }

    /**
     * Who built the bundle, when, where and with what ({@code build_info}, bundle format 1.1). Every field is
     * optional and informational: none of it is checked, and it is signed only as part of a signed manifest.
     *
     * @param builtBy           the builder's identity ({@code built_by}), or null.
     * @param builtAt           the build's timestamp, ISO 8601 as written ({@code built_at}), or null.
     * @param host              the host platform that built it ({@code host}), or null.
     * @param compiler          the compiler's version ({@code compiler}), or null.
     * @param rustbridgeVersion the rustbridge version that packed it ({@code rustbridge_version}), or null.
     * @param git               the source revision ({@code git}), or null.
     * @param custom            free key/value metadata ({@code custom}); empty when absent.
     */
    public record BuildInfo(String builtBy, String builtAt, String host, String compiler, String rustbridgeVersion, Git git,
        Map<String, String> custom)
    {
    }

    /**
     * The source revision a bundle was built from ({@code build_info.git}).
     *
     * @param commit the commit hash.
     * @param branch the branch, or null.
     * @param tag    the tag, or null.
     * @param dirty  whether the working tree had uncommitted changes, or null when not said.
     */
    public record Git(String commit, String branch, String tag, Boolean dirty)
    {
    }

    /**
     * The bundle's software bills of materials ({@code sbom}, bundle format 1.1): entry paths in the archive. The
     * manifest carries no checksum for them; they are covered by a signature only as far as the signed manifest
     * names them.
     *
     * @param cyclonedx the CycloneDX JSON entry ({@code cyclonedx}), or null.
     * @param spdx      the SPDX JSON entry ({@code spdx}), or null.
     */
    public record Sbom(String cyclonedx, String spdx)
    {
    }

    private final String bundleVersion;
    private final PluginInfo plugin;
    private final Map<String, Map<String, Variant>> platforms;
    private final Map<String, Schema> schemas;
    private final String publicKey;
    private final BuildInfo buildInfo;
    private final Sbom sbom;

    BundleManifest(
        final String bundleVersion,
        final PluginInfo plugin,
        final Map<String, Map<String, Variant>> platforms,
        final Map<String, Schema> schemas,
        final String publicKey,
        final BuildInfo buildInfo,
        final Sbom sbom)
    {
        this.bundleVersion = bundleVersion;
        this.plugin = plugin;
        this.platforms = platforms;
        this.schemas = schemas;
        this.publicKey = publicKey;
        this.buildInfo = buildInfo;
        this.sbom = sbom;
    }

    /**
     * Returns the checked manifest.
     *
     * @param json the bytes of a {@code manifest.json}.
     * @return the checked manifest.
     * @throws PluginLoadException naming the first field that is missing or wrong.
     */
    public static BundleManifest parse(final byte[] json) throws PluginLoadException
    {
        return ManifestParser.parse(json);
    }

    /**
     * Returns the format version, such as {@code 1.0}; its major version is always 1.
     *
     * @return the format version, such as {@code 1.0}; its major version is always 1.
     */
    public String bundleVersion()
    {
        return bundleVersion;
    }

    /**
     * Returns the plugin's name, version and description.
     *
     * @return the plugin's name, version and description.
     */
    public PluginInfo plugin()
    {
        return plugin;
    }

    /**
     * Returns the platform keys the bundle has libraries for, sorted.
     *
     * @return the platform keys the bundle has libraries for, sorted.
     */
    public Set<String> platforms()
    {
        return platforms.keySet();
    }

    /**
     * Returns the variant names the bundle has for it, sorted; empty when it has no such platform.
     *
     * @param platform a platform key.
     * @return the variant names the bundle has for it, sorted; empty when it has no such platform.
     */
    public Set<String> variants(final String platform)
    {
        final Map<String, Variant> variants = platforms.get(platform);
        return variants == null ? Set.of() : variants.keySet();
    }

    /**
     * Returns the library entry for that platform and variant.
     *
     * @param platform a platform key.
     * @param variant  a variant name.
     * @return the library entry for that platform and variant.
     * @throws PluginLoadException when the bundle has no such platform or variant; the message lists
     * the ones it does have.
     */
    public Variant variant(final String platform, final String variant) throws PluginLoadException
    {
        final Map<String, Variant> variants = platforms.get(platform);
        if (variants == null)
        {
            throw new PluginLoadException("bundle of plugin " + UntrustedText.escape(plugin.name()) + " has no library for platform "
                + UntrustedText.escape(platform) + "; it has: " + String.join(", ", platforms.keySet()));
        }
        final Variant found = variants.get(variant);
        if (found == null)
        {
            throw new PluginLoadException("bundle of plugin " + UntrustedText.escape(plugin.name()) + " has no variant "
                + UntrustedText.escape(variant) + " for platform " + platform + "; it has: " + String.join(", ", variants.keySet()));
        }
        return found;
    }

    /**
     * Returns the schemas by name, sorted by name.
     *
     * @return the schemas by name, sorted by name.
     */
    public Map<String, Schema> schemas()
    {
        return schemas;
    }

    /**
     * The minisign public key the bundle names for itself. It tells who claims to have signed the
     * bundle, not who did: anyone who can change the bundle can change this key along with the
     * signatures, so it is trusted only when the caller opts in with
     * {@link BundleLoader.Builder#trustEmbeddedKey()}.
     *
     * @return the base64 key from {@code public_key}, if the manifest has one.
     */
    public Optional<String> publicKey()
    {
        return Optional.ofNullable(publicKey);
    }

    /**
     * Returns the bundle's build information ({@code build_info}, format 1.1).
     *
     * @return the build information, if the manifest has it.
     */
    public Optional<BuildInfo> buildInfo()
    {
        return Optional.ofNullable(buildInfo);
    }

    /**
     * Returns where the bundle's software bills of materials are ({@code sbom}, format 1.1).
     *
     * @return the SBOM entries, if the manifest names any.
     */
    public Optional<Sbom> sbom()
    {
        return Optional.ofNullable(sbom);
    }

    @Override
    public String toString()
    {
        return "BundleManifest[" + plugin.name() + " " + plugin.version() + ", bundle_version " + bundleVersion
            + ", platforms " + platforms.keySet() + "]";
    }
}
