package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A peer of the ring: a {@link WorkerLane}, one worker thread behind a bounded queue, as a performance-minded
 * engineer would build it with JCTools, Agrona or an executor. Producers submit and get a
 * {@link CompletableFuture}; a blocking call waits on it with {@code get()}, as a typical user does.
 */
final class PeerContender implements Contender
{
    private final ContenderKind kind;
    private final WorkerLane lane;

    PeerContender(final ContenderKind kind, final WorkerLane lane)
    {
        this.kind = kind;
        this.lane = lane;
    }

    @Override
    public ContenderKind kind()
    {
        return kind;
    }

    @Override
    public Caller open(final Workload workload)
    {
        return new LaneCaller(lane, CallRequest.of(workload));
    }

    @Override
    public Optional<Thread> worker()
    {
        return Optional.of(lane.worker());
    }

    @Override
    public void close()
    {
        lane.close();
    }

    /**
     * @return the lane, for tests that submit requests no workload makes.
     */
    WorkerLane lane()
    {
        return lane;
    }

    /** Submits the same request every time; nothing per thread to release. */
    private record LaneCaller(WorkerLane lane, CallRequest request) implements Caller
    {
        @Override
        public void call() throws Exception
        {
            submit().get();
        }

        @Override
        public CompletableFuture<?> submit() throws InterruptedException
        {
            return lane.submit(request);
        }

        @Override
        public void close()
        {
            // Nothing per thread.
        }
    }
}
