/**
 * Loads plugins from rustbridge {@code .rbp} bundles ({@link dev.ringbridge.ffi.bundle.BundleLoader}): checks the
 * archive, the manifest and its minisign signatures, extracts the library into a private directory and loads it
 * through {@code dev.ringbridge.ffi}. BLAKE2b for minisign comes from Bouncy Castle.
 *
 * <p>Needs no native access of its own: the restricted calls are made in {@code dev.ringbridge.ffi}.
 */
module dev.ringbridge.bundle
{
    requires transitive dev.ringbridge.ffi;
    requires com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;

    exports dev.ringbridge.ffi.bundle;
}
