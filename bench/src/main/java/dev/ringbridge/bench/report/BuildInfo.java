package dev.ringbridge.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What code the benchmark ran: the versions the build declared (written into {@code build.properties}
 * by Maven resource filtering) and the git commit of the working directory, asked of {@code git} at run
 * time. Either may be missing (no git, a copy outside a repository); the report then says so.
 */
final class BuildInfo
{
    private static final String RESOURCE = "/dev/ringbridge/bench/build.properties";
    private static final String VERSION_KEY = "ringbridge";
    private static final long GIT_TIMEOUT_SECONDS = 5;

    private BuildInfo()
    {
    }

    /**
     * @return ringbridge's version, the git commit and the dependencies' versions, as report entries.
     */
    static Map<String, String> entries()
    {
        final Properties versions = versions();
        final Map<String, String> entries = new LinkedHashMap<>();
        entries.put("ringbridge", versions.getProperty(VERSION_KEY, "unknown (no build.properties on the class path)"));
        entries.put("Git commit", gitCommit());
        entries.put("Dependencies", versions.stringPropertyNames().stream()
            .filter(name -> !name.equals(VERSION_KEY))
            .sorted(String.CASE_INSENSITIVE_ORDER)
            .map(name -> name + " " + versions.getProperty(name))
            .collect(Collectors.joining(", ")) + " (as declared by the build)");
        return entries;
    }

    private static Properties versions()
    {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE))
        {
            if (in != null)
            {
                properties.load(in);
            }
        }
        catch (final IOException e)
        {
            // Reported as unknown.
        }
        return properties;
    }

    /** The commit of the working directory's repository, marked when tracked files have uncommitted changes. */
    private static String gitCommit()
    {
        final GitAnswer commit = git("rev-parse", "HEAD");
        if (commit == null || commit.exitCode() != 0 || commit.output().isEmpty())
        {
            return "unknown (git or the repository is not available)";
        }
        // Exit code 1: the tracked files differ from HEAD.
        final GitAnswer changes = git("diff", "--quiet", "HEAD", "--");
        return changes != null && changes.exitCode() == 1 ? commit.output() + " with uncommitted changes" : commit.output();
    }

    /** What a git command said: its exit code and trimmed standard output. */
    private record GitAnswer(int exitCode, String output)
    {
    }

    /** @return git's answer, or null when git is missing or does not finish in time. */
    private static GitAnswer git(final String... arguments)
    {
        final String[] command = new String[arguments.length + 1];
        command[0] = "git";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        try
        {
            final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // Both commands print at most a line, so the pipe cannot fill while the process runs.
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return null;
            }
            return new GitAnswer(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        catch (final IOException e)
        {
            return null;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
