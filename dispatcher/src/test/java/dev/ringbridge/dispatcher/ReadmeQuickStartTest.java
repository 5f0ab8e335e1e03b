package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's example is {@link QuickStart}, word for word: this test checks that the README still shows that file
 * (without its package line) and runs it against the sample bundle.
 */
class ReadmeQuickStartTest
{
    private static final String BEGIN = "<!-- QuickStart.java, kept equal to dispatcher/src/test/java/dev/ringbridge/dispatcher/QuickStart.java -->\n```java\n";

    @Test
    void shouldShowQuickStartInTheReadmeAsItIs() throws Exception
    {
        final Path module = Path.of(System.getProperty("user.dir"));
        final String readme = Files.readString(module.resolveSibling("README.md"));
        final int start = readme.indexOf(BEGIN);
        assertTrue(start >= 0, "README.md must hold the marker " + BEGIN);
        final String shown = readme.substring(start + BEGIN.length(), readme.indexOf("```\n", start + BEGIN.length()));
        final String source = Files.readString(module.resolve("src/test/java/dev/ringbridge/dispatcher/QuickStart.java"));
        assertEquals(source.substring(source.indexOf("import ")), shown, "README.md must show QuickStart.java as it is");
    }

    @Test
    @NeedsSamplePlugin
    void shouldRunTheQuickStartAsWritten() throws Exception
    {
        final PrintStream out = System.out;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try
        {
            QuickStart.main(new String[] {SamplePlugin.bundle().toString()});
        }
        finally
        {
            System.setOut(out);
        }
        final String text = printed.toString(StandardCharsets.UTF_8);
        out.print(text);
        assertTrue(text.contains("Hello") && text.contains("async") && text.contains("Echoed[length=5, message=typed]"), text);
    }
}
