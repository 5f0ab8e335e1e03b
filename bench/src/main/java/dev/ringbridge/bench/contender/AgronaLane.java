package dev.ringbridge.bench.contender;

import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code agrona} peer: an Agrona {@link ManyToOneConcurrentArrayQueue} of {@link PendingCall}s,
 * drained by an {@link Agent} on its own {@link AgentRunner} thread, which idles with a default
 * {@link BackoffIdleStrategy} (10 spins, 5 yields, then parks of 1 µs doubling to 1 ms) when a duty cycle
 * found no work. A producer facing a full queue backs off by {@link SpinYieldPark#PRODUCER} until its
 * offer succeeds.
 *
 * <p><b>Threads.</b> The agent's thread opens the session in {@code onStart}, makes every call in
 * {@code doWork} and, in {@code onClose}, runs what is left and closes the session.
 */
final class AgronaLane implements WorkerLane
{
    private static final System.Logger LOGGER = System.getLogger(AgronaLane.class.getName());
    private static final long START_TIMEOUT_SECONDS = 10;

    private final ManyToOneConcurrentArrayQueue<PendingCall> queue;
    private final AgentRunner runner;
    private final Thread worker;

    /**
     * Starts the agent and waits until its thread has opened its session: a runner closed before its
     * thread starts would run {@code onClose} on the closing thread, with no session for the calls queued.
     *
     * @param plugin   the plugin, called only by the agent's thread.
     * @param capacity the queue's bound (Agrona rounds it up to a power of two).
     */
    AgronaLane(final NativePlugin plugin, final int capacity)
    {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
        final CallAgent agent = new CallAgent(plugin, queue);
        this.runner = new AgentRunner(new BackoffIdleStrategy(),
            failure -> LOGGER.log(System.Logger.Level.ERROR, "agrona worker failed", failure), null, agent);
        this.worker = AgentRunner.startOnThread(runner, AgronaLane::daemon);
        try
        {
            if (!agent.started.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                runner.close();
                throw new IllegalStateException("the agrona worker did not start within " + START_TIMEOUT_SECONDS + " s");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            runner.close();
            throw new IllegalStateException("interrupted while the agrona worker started", e);
        }
    }

    @Override
    public CompletableFuture<Object> submit(final CallRequest request) throws InterruptedException
    {
        return PendingCall.offer(queue, request);
    }

    @Override
    public Thread worker()
    {
        return worker;
    }

    @Override
    public void close()
    {
        runner.close();
    }

    /** A worker left running by a failed scenario must not keep the JVM alive (startOnThread names it). */
    private static Thread daemon(final Runnable runnable)
    {
        final Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    }

    /** The duty cycle: make every queued call. */
    private static final class CallAgent implements Agent
    {
        private final NativePlugin plugin;
        private final ManyToOneConcurrentArrayQueue<PendingCall> queue;
        private final Consumer<PendingCall> runCall = this::runCall;
        /** Counted down by the agent's thread once onStart has run. */
        private final CountDownLatch started = new CountDownLatch(1);
        /** The agent thread's session: opened in onStart and closed in onClose, both on that thread. */
        private CallSession session;

        CallAgent(final NativePlugin plugin, final ManyToOneConcurrentArrayQueue<PendingCall> queue)
        {
            this.plugin = plugin;
            this.queue = queue;
        }

        @Override
        public void onStart()
        {
            try
            {
                session = plugin.openSession();
            }
            finally
            {
                started.countDown();
            }
        }

        @Override
        public int doWork()
        {
            return queue.drain(runCall);
        }

        /**
         * Runs the calls accepted before close. If onStart failed to open a session, the calls fail instead.
         */
        @Override
        public void onClose()
        {
            if (session == null)
            {
                queue.drain(PendingCall::abandon);
                return;
            }
            queue.drain(runCall);
            session.close();
        }

        @Override
        public String roleName()
        {
            return "agrona-worker";
        }

        private void runCall(final PendingCall call)
        {
            call.runOn(session);
        }
    }
}
