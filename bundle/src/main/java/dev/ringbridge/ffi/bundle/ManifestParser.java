package dev.ringbridge.ffi.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads {@code manifest.json} with jackson-core's streaming parser and checks it the way the Rust
 * loader does (plugin-abi.md section 5.2), plus the {@code bundle_version} check neither reference
 * loader makes. Every message names the field by its dotted path, such as
 * {@code platforms.linux-x86_64.variants.release.checksum}.
 *
 * <p>Duplicate keys are refused: with two {@code library} fields a signed manifest could mean one
 * thing to this parser and another to a different tool.
 */
final class ManifestParser
{
    /** The major format version this loader understands; minor versions only add fields. */
    static final int SUPPORTED_MAJOR_VERSION = 1;

    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final Pattern BUNDLE_VERSION = Pattern.compile("(\\d{1,9})(\\.\\d{1,9})*");
    private static final int MAX_BUNDLE_VERSION_LENGTH = 64;
    private static final Pattern VARIANT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String SHA256_PREFIX = "sha256:";
    private static final String RELEASE = "release";

    private ManifestParser()
    {
    }

    static BundleManifest parse(final byte[] bytes) throws PluginLoadException
    {
        try (JsonParser json = JSON.createParser(bytes))
        {
            startObject(json.nextToken(), "(top level)");
            String bundleVersion = null;
            BundleManifest.PluginInfo plugin = null;
            Map<String, Map<String, BundleManifest.Variant>> platforms = null;
            Map<String, BundleManifest.Schema> schemas = Map.of();
            String publicKey = null;
            BundleManifest.BuildInfo buildInfo = null;
            BundleManifest.Sbom sbom = null;
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = json.currentName();
                final JsonToken value = json.nextToken();
                switch (field)
                {
                    case "bundle_version" -> bundleVersion = text(json, value, field);
                    case "plugin" -> plugin = plugin(json, value);
                    case "platforms" -> platforms = platforms(json, value);
                    case "schemas" -> schemas = schemas(json, value);
                    case "public_key" -> publicKey = value == JsonToken.VALUE_NULL ? null : text(json, value, field);
                    case "build_info" -> buildInfo = value == JsonToken.VALUE_NULL ? null : buildInfo(json, value);
                    case "sbom" -> sbom = value == JsonToken.VALUE_NULL ? null : sbom(json, value);
                    default -> json.skipChildren();
                }
            }
            if (json.nextToken() != null)
            {
                throw new PluginLoadException("manifest.json has content after its top-level object");
            }
            checkBundleVersion(required(bundleVersion, "bundle_version"));
            return new BundleManifest(bundleVersion, required(plugin, "plugin"), required(platforms, "platforms"), schemas, publicKey,
                buildInfo, sbom);
        }
        catch (final StreamConstraintsException e)
        {
            // Not chained: the parser's message quotes the manifest unescaped.
            throw new PluginLoadException("manifest.json is refused: it exceeds a limit of the JSON parser: "
                + UntrustedText.escape(e.getOriginalMessage()) + location(e));
        }
        catch (final JsonProcessingException e)
        {
            throw new PluginLoadException("manifest.json is not valid JSON: " + UntrustedText.escape(e.getOriginalMessage()) + location(e));
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot read manifest.json: " + UntrustedText.escape(e.getMessage()));
        }
    }

    /** Some parser errors, the limits of {@link com.fasterxml.jackson.core.StreamReadConstraints} among them, have no location. */
    private static String location(final JsonProcessingException e)
    {
        final JsonLocation location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static void checkBundleVersion(final String version) throws PluginLoadException
    {
        // Bounded first: the pattern's repeated group recurses once per segment, and a hostile
        // "1.0.0.0..." would overflow the stack.
        final var match = BUNDLE_VERSION.matcher(version);
        if (version.length() > MAX_BUNDLE_VERSION_LENGTH || !match.matches())
        {
            throw new PluginLoadException("manifest field bundle_version must be a version such as 1.0, was '"
                + UntrustedText.escape(version) + "'" + (version.length() > MAX_BUNDLE_VERSION_LENGTH
                ? " (" + version.length() + " characters, at most " + MAX_BUNDLE_VERSION_LENGTH + " allowed)" : ""));
        }
        if (Integer.parseInt(match.group(1)) != SUPPORTED_MAJOR_VERSION)
        {
            throw new PluginLoadException("manifest field bundle_version is " + UntrustedText.escape(version) + ": this loader reads bundle format "
                + SUPPORTED_MAJOR_VERSION + ".x only");
        }
    }

    private static BundleManifest.PluginInfo plugin(final JsonParser json, final JsonToken start) throws IOException, PluginLoadException
    {
        startObject(start, "plugin");
        String name = null;
        String version = null;
        String description = null;
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = json.currentName();
            final JsonToken value = json.nextToken();
            switch (field)
            {
                case "name" -> name = text(json, value, "plugin.name");
                case "version" -> version = text(json, value, "plugin.version");
                case "description" -> description = value == JsonToken.VALUE_NULL ? null : text(json, value, "plugin.description");
                default -> json.skipChildren();
            }
        }
        return new BundleManifest.PluginInfo(required(name, "plugin.name"), required(version, "plugin.version"), description);
    }

    private static Map<String, Map<String, BundleManifest.Variant>> platforms(final JsonParser json, final JsonToken start)
        throws IOException, PluginLoadException
    {
        startObject(start, "platforms");
        final Map<String, Map<String, BundleManifest.Variant>> platforms = new TreeMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String platform = json.currentName();
            if (!PlatformKey.isKnown(platform))
            {
                throw new PluginLoadException("manifest field platforms names an unknown platform '" + UntrustedText.escape(platform)
                    + "'; known platforms: " + String.join(", ", new TreeSet<>(PlatformKey.KNOWN)));
            }
            final String path = "platforms." + platform;
            startObject(json.nextToken(), path);
            Map<String, BundleManifest.Variant> variants = null;
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = json.currentName();
                final JsonToken value = json.nextToken();
                if (field.equals("variants"))
                {
                    variants = variants(json, value, platform, path + ".variants");
                }
                else
                {
                    json.skipChildren();
                }
            }
            platforms.put(platform, required(variants, path + ".variants"));
        }
        if (platforms.isEmpty())
        {
            throw new PluginLoadException("manifest field platforms is empty: the bundle has no library");
        }
        return Collections.unmodifiableMap(platforms);
    }

    private static Map<String, BundleManifest.Variant> variants(
        final JsonParser json,
        final JsonToken start,
        final String platform,
        final String path) throws IOException, PluginLoadException
    {
        startObject(start, path);
        final Map<String, BundleManifest.Variant> variants = new TreeMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = json.currentName();
            if (!VARIANT_NAME.matcher(name).matches())
            {
                throw new PluginLoadException("manifest field " + path + " has a variant named '" + UntrustedText.escape(name)
                    + "': names use a-z, 0-9 and '-', starting and ending with a letter or digit");
            }
            final String variantPath = path + "." + name;
            startObject(json.nextToken(), variantPath);
            String library = null;
            String checksum = null;
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = json.currentName();
                final JsonToken value = json.nextToken();
                switch (field)
                {
                    case "library" -> library = entryPath(text(json, value, variantPath + ".library"), variantPath + ".library");
                    case "checksum" -> checksum = sha256(text(json, value, variantPath + ".checksum"), variantPath + ".checksum", true);
                    default -> json.skipChildren();
                }
            }
            variants.put(name, new BundleManifest.Variant(platform, name,
                required(library, variantPath + ".library"), required(checksum, variantPath + ".checksum")));
        }
        if (!variants.containsKey(RELEASE))
        {
            throw new PluginLoadException("manifest field " + path + " has no '" + RELEASE
                + "' variant, which every platform must have");
        }
        return Collections.unmodifiableMap(variants);
    }

    private static Map<String, BundleManifest.Schema> schemas(final JsonParser json, final JsonToken start)
        throws IOException, PluginLoadException
    {
        startObject(start, "schemas");
        final Map<String, BundleManifest.Schema> schemas = new TreeMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = json.currentName();
            final String path = "schemas." + UntrustedText.escape(name);
            startObject(json.nextToken(), path);
            String file = null;
            String format = "unknown";
            String checksum = null;
            String description = null;
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = json.currentName();
                final JsonToken value = json.nextToken();
                switch (field)
                {
                    case "path" -> file = entryPath(text(json, value, path + ".path"), path + ".path");
                    case "format" -> format = text(json, value, path + ".format");
                    // The bundle builder writes schema checksums as bare hex, library checksums with the prefix.
                    case "checksum" -> checksum = sha256(text(json, value, path + ".checksum"), path + ".checksum", false);
                    case "description" -> description = value == JsonToken.VALUE_NULL ? null : text(json, value, path + ".description");
                    default -> json.skipChildren();
                }
            }
            schemas.put(name, new BundleManifest.Schema(name, required(file, path + ".path"), format,
                required(checksum, path + ".checksum"), description));
        }
        return Collections.unmodifiableMap(schemas);
    }

    /** {@code build_info} (format 1.1): informational strings, a {@code git} object and a {@code custom} string map. */
    private static BundleManifest.BuildInfo buildInfo(final JsonParser json, final JsonToken start) throws IOException, PluginLoadException
    {
        startObject(start, "build_info");
        final Map<String, String> fields = new TreeMap<>();
        BundleManifest.Git git = null;
        Map<String, String> custom = Map.of();
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = json.currentName();
            final JsonToken value = json.nextToken();
            switch (field)
            {
                case "built_by", "built_at", "host", "compiler", "rustbridge_version" ->
                    fields.put(field, value == JsonToken.VALUE_NULL ? null : text(json, value, "build_info." + field));
                case "git" -> git = value == JsonToken.VALUE_NULL ? null : git(json, value);
                case "custom" -> custom = value == JsonToken.VALUE_NULL ? Map.of() : stringMap(json, value, "build_info.custom");
                default -> json.skipChildren();
            }
        }
        return new BundleManifest.BuildInfo(fields.get("built_by"), fields.get("built_at"), fields.get("host"), fields.get("compiler"),
            fields.get("rustbridge_version"), git, custom);
    }

    private static BundleManifest.Git git(final JsonParser json, final JsonToken start) throws IOException, PluginLoadException
    {
        startObject(start, "build_info.git");
        String commit = null;
        String branch = null;
        String tag = null;
        Boolean dirty = null;
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = json.currentName();
            final JsonToken value = json.nextToken();
            switch (field)
            {
                case "commit" -> commit = text(json, value, "build_info.git.commit");
                case "branch" -> branch = value == JsonToken.VALUE_NULL ? null : text(json, value, "build_info.git.branch");
                case "tag" -> tag = value == JsonToken.VALUE_NULL ? null : text(json, value, "build_info.git.tag");
                case "dirty" -> dirty = switch (value)
                {
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> throw new PluginLoadException("manifest field build_info.git.dirty must be a boolean" + found(value));
                };
                default -> json.skipChildren();
            }
        }
        return new BundleManifest.Git(required(commit, "build_info.git.commit"), branch, tag, dirty);
    }

    private static Map<String, String> stringMap(final JsonParser json, final JsonToken start, final String path)
        throws IOException, PluginLoadException
    {
        startObject(start, path);
        final Map<String, String> map = new TreeMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String key = json.currentName();
            map.put(key, text(json, json.nextToken(), path + "." + UntrustedText.escape(key)));
        }
        return Collections.unmodifiableMap(map);
    }

    /** {@code sbom} (format 1.1): entry paths of the CycloneDX and SPDX documents. */
    private static BundleManifest.Sbom sbom(final JsonParser json, final JsonToken start) throws IOException, PluginLoadException
    {
        startObject(start, "sbom");
        String cyclonedx = null;
        String spdx = null;
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = json.currentName();
            final JsonToken value = json.nextToken();
            switch (field)
            {
                case "cyclonedx" -> cyclonedx = value == JsonToken.VALUE_NULL ? null : entryPath(text(json, value, "sbom.cyclonedx"), "sbom.cyclonedx");
                case "spdx" -> spdx = value == JsonToken.VALUE_NULL ? null : entryPath(text(json, value, "sbom.spdx"), "sbom.spdx");
                default -> json.skipChildren();
            }
        }
        return new BundleManifest.Sbom(cyclonedx, spdx);
    }

    private static String entryPath(final String value, final String field) throws PluginLoadException
    {
        final String problem = ArchivePath.problem(value, false);
        if (problem != null)
        {
            throw new PluginLoadException("manifest field " + field + " is refused: the path '" + UntrustedText.escape(value) + "' " + problem);
        }
        return value;
    }

    private static String sha256(final String value, final String field, final boolean prefixRequired) throws PluginLoadException
    {
        final boolean prefixed = value.startsWith(SHA256_PREFIX);
        final String hex = prefixed ? value.substring(SHA256_PREFIX.length()) : value;
        if ((prefixRequired && !prefixed) || !SHA256_HEX.matcher(hex).matches())
        {
            throw new PluginLoadException("manifest field " + field + " must be "
                + (prefixRequired ? "sha256:<64 hex digits>" : "64 hex digits, optionally prefixed with sha256:")
                + ", was '" + UntrustedText.escape(value) + "'");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static void startObject(final JsonToken token, final String field) throws PluginLoadException
    {
        if (token != JsonToken.START_OBJECT)
        {
            throw new PluginLoadException("manifest field " + field + " must be a JSON object" + found(token));
        }
    }

    private static String text(final JsonParser json, final JsonToken token, final String field) throws IOException, PluginLoadException
    {
        if (token != JsonToken.VALUE_STRING || json.getText().isEmpty())
        {
            throw new PluginLoadException("manifest field " + field + " must be a non-empty string" + found(token));
        }
        return json.getText();
    }

    private static String found(final JsonToken token)
    {
        return ", found " + switch (token)
        {
            case null -> "nothing";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "an empty string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static <T> T required(final T value, final String field) throws PluginLoadException
    {
        if (value == null)
        {
            throw new PluginLoadException("manifest is missing the required field " + field);
        }
        return value;
    }
}
