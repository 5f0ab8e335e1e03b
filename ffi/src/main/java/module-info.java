/**
 * FFM bindings for the rustbridge plugin C ABI: loads a plugin library by path ({@link dev.ringbridge.ffi.NativePlugin})
 * and calls it. Bundles ({@code .rbp}) are read by the module {@code dev.ringbridge.bundle}.
 *
 * <p>This module calls restricted FFM methods ({@code SymbolLookup.libraryLookup}, {@code Linker} downcalls and
 * upcalls, {@code MemorySegment.reinterpret}), so it is the one that needs native access: on the module path run the
 * JVM with {@code --enable-native-access=dev.ringbridge.ffi}; on the class path with
 * {@code --enable-native-access=ALL-UNNAMED}.
 */
module dev.ringbridge.ffi
{
    requires com.fasterxml.jackson.core;

    exports dev.ringbridge.ffi;
    // One escaping rule for the messages of both modules; not API.
    exports dev.ringbridge.ffi.internal to dev.ringbridge.bundle;
}
