package chatapp.notification;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work done after a message's commit, off the thread that stored it (pushes, away messages,
 * unread-message reminders): a few daemon threads with a bounded queue, and a count of what is
 * not yet done, so that a Lambda handler (whose process may be frozen once it returns) and tests
 * can wait for it. Threads end when idle (a process that never queues keeps none).
 */
final class BackgroundWork {

    private final ThreadPoolExecutor threads;
    private final AtomicInteger pending = new AtomicInteger();
    private final Object idle = new Object();

    /**
     * @param name the threads' name, numbered ({@code name-1}, ...)
     * @param count how many threads
     * @param queue how many tasks may wait beyond the running ones
     */
    BackgroundWork(String name, int count, int queue) {
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(count, count, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.threads.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues {@code task}; {@link #awaitIdle} waits for it.
     *
     * @return false, and nothing queued, when the queue is full or the work is closing
     */
    boolean offer(Runnable task) {
        pending.incrementAndGet();
        try {
            threads.execute(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            done();
            return false;
        }
    }

    /**
     * Waits until everything queued is done, at most {@code timeout}.
     *
     * @return false if some work was still pending at the timeout (or the thread was interrupted)
     */
    boolean awaitIdle(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending.get() > 0) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** How many queued tasks have not started. */
    int waiting() {
        return threads.getQueue().size();
    }

    /** Stops at once; queued work is dropped. */
    void stopNow() {
        threads.shutdownNow();
    }

    /**
     * Lets queued work finish, at most {@code timeout}, then stops.
     *
     * @return false if work was dropped at the timeout
     */
    boolean drainAndStop(Duration timeout) {
        threads.shutdown();
        try {
            if (threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
        return false;
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }
}
