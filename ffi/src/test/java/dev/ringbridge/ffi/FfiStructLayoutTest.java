package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The structs the plugin returns by value, as plugin-abi.md section 2 gives them (64-bit Linux). */
class FfiStructLayoutTest
{
    @Test
    void shouldLayOutFfiBufferAsTheAbiDoes()
    {
        assertEquals(32, FfiBuffer.LAYOUT.byteSize());
        assertEquals(8, FfiBuffer.LAYOUT.byteAlignment());
        assertEquals(0, FfiBuffer.DATA_OFFSET);
        assertEquals(8, FfiBuffer.LEN_OFFSET);
        assertEquals(24, FfiBuffer.ERROR_CODE_OFFSET);
    }

    @Test
    void shouldLayOutRbResponseAsTheAbiDoes()
    {
        assertEquals(24, RbResponse.LAYOUT.byteSize());
        assertEquals(8, RbResponse.LAYOUT.byteAlignment());
        assertEquals(0, RbResponse.ERROR_CODE_OFFSET);
        assertEquals(4, RbResponse.LEN_OFFSET);
        assertEquals(16, RbResponse.DATA_OFFSET);
    }
}
