package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The numeric codes of the plugin C ABI (plugin-abi.md) and what each side of every range maps to. */
class AbiCodesTest
{
    @Test
    void shouldMapEveryErrorCodeOfTheAbiAndCallTheRestUnknown()
    {
        for (final ErrorKind kind : ErrorKind.values())
        {
            assertEquals(kind.ordinal(), kind.code(), kind.name());
            if (kind != ErrorKind.UNKNOWN)
            {
                assertEquals(kind, ErrorKind.fromCode(kind.code()));
            }
        }
        assertEquals(ErrorKind.INVALID_STATE, ErrorKind.fromCode(1));
        assertEquals(ErrorKind.INTERNAL, ErrorKind.fromCode(11), "a panic's code");
        assertEquals(ErrorKind.TOO_MANY_REQUESTS, ErrorKind.fromCode(13), "the last code");
        assertEquals(ErrorKind.UNKNOWN, ErrorKind.fromCode(0), "0 is success, not an error kind");
        assertEquals(ErrorKind.UNKNOWN, ErrorKind.fromCode(14));
        assertEquals(ErrorKind.UNKNOWN, ErrorKind.fromCode(-1));
        assertEquals(ErrorKind.UNKNOWN, ErrorKind.fromCode(Integer.MAX_VALUE));
    }

    @Test
    void shouldMapEveryLifecycleCodeAndRefuseOthersNamingThem()
    {
        assertEquals(LifecycleState.INSTALLED, LifecycleState.fromCode(0));
        assertEquals(LifecycleState.ACTIVE, LifecycleState.fromCode(2));
        assertEquals(LifecycleState.FAILED, LifecycleState.fromCode(5));
        for (final LifecycleState state : LifecycleState.values())
        {
            assertEquals(state, LifecycleState.fromCode(state.code()));
            assertEquals(state == LifecycleState.STOPPED || state == LifecycleState.FAILED, state.isTerminal(), state.name());
        }
        final IllegalArgumentException above = assertThrows(IllegalArgumentException.class, () -> LifecycleState.fromCode(6));
        assertEquals("unknown plugin state code 6 (expected 0..5)", above.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LifecycleState.fromCode(-1));
    }

    @Test
    void shouldMapLogLevelsBothWaysAndTurnUnknownCodesOff()
    {
        assertEquals(0, LogLevel.TRACE.code());
        assertEquals(5, LogLevel.OFF.code());
        for (final LogLevel level : LogLevel.values())
        {
            assertEquals(level, LogLevel.fromCode(level.code()));
        }
        assertEquals(LogLevel.OFF, LogLevel.fromCode(6));
        assertEquals(LogLevel.OFF, LogLevel.fromCode(-1));
        assertEquals(Level.TRACE, LogLevel.TRACE.systemLevel());
        assertEquals(Level.WARNING, LogLevel.WARN.systemLevel());
        assertEquals(Level.ERROR, LogLevel.ERROR.systemLevel());
        assertEquals(Level.OFF, LogLevel.OFF.systemLevel());
        assertEquals(Level.DEBUG, LogLevel.DEBUG.systemLevel());
        assertEquals(Level.INFO, LogLevel.INFO.systemLevel());
    }
}
