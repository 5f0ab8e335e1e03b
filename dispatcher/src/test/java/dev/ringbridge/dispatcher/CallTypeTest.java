package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each kind of call type writes on the caller's thread and reads from an answer's code and bytes. */
class CallTypeTest
{
    record Greeting(String firstName, int times)
    {
    }

    record Unwritable(Object self)
    {
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] success(final String payload)
    {
        return utf8("{\"status\":\"success\",\"payload\":" + payload + "}");
    }

    @Test
    void shouldDescribeItsTransport()
    {
        final CallType<String, String> json = CallType.json("echo");
        assertEquals("echo", json.typeTag());
        assertEquals(0, json.messageId());
        assertFalse(json.binaryTransport());
        final CallType<byte[], byte[]> binary = CallType.binary(7);
        assertNull(binary.typeTag());
        assertEquals(7, binary.messageId());
        assertTrue(binary.binaryTransport());
        assertEquals("echo", CallType.jsonBytes("echo").typeTag());
        assertEquals("echo", CallType.typed("echo", Greeting.class, Greeting.class).typeTag());
        assertEquals(json.typeId(), CallType.jsonBytes("echo").typeId(), "one type in the metrics, whatever the form");
    }

    @Test
    void shouldEncodeAndDecodeJsonText() throws PluginException
    {
        final CallType<String, String> json = CallType.json("echo");
        assertArrayEquals(utf8("{\"m\":\"\u00e9\"}"), json.encode("{\"m\":\"\u00e9\"}"));
        assertEquals("request must not be null", assertThrows(NullPointerException.class, () -> json.encode(null)).getMessage());
        assertEquals("[1,2]", json.decode(0, success("[1,2]")));
        final PluginException e = assertThrows(PluginException.class, () -> json.decode(7, utf8("{\"error_message\":\"bad\"}")));
        assertEquals(7, e.errorCode());
        assertEquals("bad", e.getMessage());
    }

    @Test
    void shouldPassUtf8BytesThroughAndRefuseOthers() throws PluginException
    {
        final CallType<byte[], byte[]> bytes = CallType.jsonBytes("echo");
        final byte[] request = utf8("{\"m\":1}");
        assertSame(request, bytes.encode(request), "checked, not copied");
        assertThrows(IllegalArgumentException.class, () -> bytes.encode(new byte[] {'"', (byte)0xC3, '"'}));
        assertEquals("request must not be null", assertThrows(NullPointerException.class, () -> bytes.encode(null)).getMessage());
        assertArrayEquals(utf8("{\"a\":true}"), bytes.decode(0, success("{\"a\":true}")));
        assertEquals(5, assertThrows(PluginException.class, () -> bytes.decode(5, utf8("oops"))).errorCode());
    }

    @Test
    void shouldPassBinaryRequestsAndAnswersAsTheyAre() throws PluginException
    {
        final CallType<byte[], byte[]> binary = CallType.binary(1);
        final byte[] request = {0, 1, 2};
        assertSame(request, binary.encode(request));
        assertEquals("request must not be null", assertThrows(NullPointerException.class, () -> binary.encode(null)).getMessage());
        final byte[] answer = {9, 8};
        assertSame(answer, binary.decode(0, answer));
        assertEquals("bad id", assertThrows(PluginException.class, () -> binary.decode(6, utf8("bad id\0"))).getMessage());
    }

    @Test
    void shouldMapRecordsInSnakeCaseAndIgnoreUnknownFields() throws PluginException
    {
        final CallType<Greeting, Greeting> typed = CallType.typed("greet", Greeting.class, Greeting.class);
        assertEquals("{\"first_name\":\"Ada\",\"times\":2}", new String(typed.encode(new Greeting("Ada", 2)), StandardCharsets.UTF_8));
        assertEquals(new Greeting("Bo", 3), typed.decode(0, success("{\"first_name\":\"Bo\",\"times\":3,\"extra\":[1]}")));
        assertEquals(7, assertThrows(PluginException.class, () -> typed.decode(7, utf8("{\"error_message\":\"x\"}"))).errorCode());
    }

    @Test
    void shouldNameTheTypeAndTheProblemWhenMappingFails()
    {
        final CallType<Unwritable, Greeting> typed = CallType.typed("greet", Unwritable.class, Greeting.class);
        final Unwritable loop = new Unwritable(new Object());
        final IllegalArgumentException write = assertThrows(IllegalArgumentException.class, () -> typed.encode(loop));
        assertTrue(write.getMessage().startsWith("request for 'greet' of type " + Unwritable.class.getName() + " cannot be written as JSON: "),
            write.getMessage());
        final String longText = "x".repeat(300);
        final IllegalStateException read = assertThrows(IllegalStateException.class,
            () -> typed.decode(0, success("{\"times\":\"" + longText + "\"}")));
        assertTrue(read.getMessage().startsWith("response of 'greet' does not map to " + Greeting.class.getName() + ": "), read.getMessage());
        assertTrue(read.getMessage().endsWith("; response began {\"times\":\"" + "x".repeat(200 - 10)), read.getMessage());
        assertThrows(NullPointerException.class, () -> CallType.typed("greet", null, Greeting.class));
        assertThrows(NullPointerException.class, () -> CallType.typed("greet", Greeting.class, null));
        assertThrows(NullPointerException.class, () -> CallType.typed("greet", Greeting.class, Greeting.class, null));
    }

    @Test
    void shouldSayWhichLimitOfTheMapperAResponseExceeds()
    {
        final com.fasterxml.jackson.databind.ObjectMapper strict = new com.fasterxml.jackson.databind.ObjectMapper(
            com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(2).build()).build());
        final CallType<String, List> typed = CallType.typed("deep", String.class, List.class, strict);
        final String payload = "[[[[1]]]]";
        final PluginException e = assertThrows(PluginException.class, () -> typed.decode(0, success(payload)));
        assertTrue(e.getMessage().startsWith("response of 'deep' (" + payload.length() + " bytes) exceeds a limit of the mapper: "),
            e.getMessage());
        assertFalse(e.getMessage().contains(payload), "never quotes the response");
    }
}
