package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process {@link PluginPort} for the handler's and the gate's invariants: it echoes each JSON request back in a
 * success envelope and records who entered it, when, and how many at once. A request of {@code "hold"} blocks until
 * {@link #release()}; {@code "panic"} answers code 11 and leaves it FAILED, as a real plugin does. No native code.
 */
final class FakePlugin implements PluginPort
{
    /** The requests entered, in order. */
    final List<String> entered = new CopyOnWriteArrayList<>();
    final Set<Thread> callers = ConcurrentHashMap.newKeySet();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    /** Set when anything entered after the release: a broken shutdown handshake. */
    volatile boolean enteredAfterRelease;
    volatile boolean openFails;
    /** How long {@link #open()} takes, as a real plugin's init may. */
    volatile long openMillis;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private volatile boolean failed;
    private volatile boolean closed;
    private int lastCode;
    private byte[] lastBody;

    /** Lets a {@code "hold"} call finish. */
    void release()
    {
        held.countDown();
    }

    /** Waits until a {@code "hold"} call is inside. */
    void awaitHolding() throws InterruptedException
    {
        if (!holding.await(10, TimeUnit.SECONDS))
        {
            throw new AssertionError("no call is holding the owner");
        }
    }

    @Override
    public void open()
    {
        if (openMillis > 0)
        {
            try
            {
                Thread.sleep(openMillis);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (openFails)
        {
            throw new IllegalStateException("the fake refuses to open");
        }
    }

    @Override
    public byte[] exchange(final MemorySegment typeTag, final byte[] request) throws PluginException
    {
        final String text = new String(request, StandardCharsets.UTF_8);
        enter(text);
        try
        {
            if (failed)
            {
                throw new PluginException(1, "the fake is FAILED after a panic");
            }
            if (text.equals("\"hold\""))
            {
                holding.countDown();
                awaitUninterruptibly();
            }
            if (text.equals("\"panic\""))
            {
                failed = true;
                lastCode = 11;
                lastBody = "Plugin panicked: the fake".getBytes(StandardCharsets.UTF_8);
                return lastBody;
            }
            lastCode = 0;
            lastBody = null;
            return ("{\"status\":\"success\",\"payload\":" + text + "}").getBytes(StandardCharsets.UTF_8);
        }
        finally
        {
            inside.decrementAndGet();
        }
    }

    @Override
    public byte[] exchangeRaw(final int messageId, final byte[] request)
    {
        throw new UnsupportedOperationException("the fake speaks JSON only");
    }

    @Override
    public long exchangeRaw(final int messageId, final MemorySegment request, final MemorySegment response)
    {
        throw new UnsupportedOperationException("the fake speaks JSON only");
    }

    @Override
    public int lastErrorCode()
    {
        return lastCode;
    }

    @Override
    public byte[] lastErrorBody()
    {
        return lastBody;
    }

    @Override
    public void release(final boolean closePlugin)
    {
        releases.incrementAndGet();
        closed |= closePlugin;
    }

    @Override
    public boolean hasBinaryTransport()
    {
        return false;
    }

    @Override
    public boolean isFailed()
    {
        return failed;
    }

    @Override
    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public String name()
    {
        return "fake";
    }

    private void enter(final String text)
    {
        if (releases.get() > 0)
        {
            enteredAfterRelease = true;
        }
        callers.add(Thread.currentThread());
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        entered.add(text);
    }

    private void awaitUninterruptibly()
    {
        while (true)
        {
            try
            {
                held.await();
                return;
            }
            catch (final InterruptedException e)
            {
                // The owner thread is not interrupted by the dispatcher; keep holding.
            }
        }
    }
}
