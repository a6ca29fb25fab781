package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ErrorCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow and idle clients cost memory, never a request thread, and a request must arrive in full within
 * {@code timeout} of its first byte. Jetty reads from the network without threads, but the routes read a
 * body blocking: a client that sent the headers of {@code POST /token} and then trickled the body a byte
 * at a time (each byte resetting the idle timeout) held a request thread for as long as it liked, and a
 * few hundred such clients held them all. So, in front of the routes:
 *
 * <ul>
 *   <li>A request's body is read without a thread (Jetty's {@code read}/{@code demand}) into a buffer of at
 *       most the body limit, and only then is the request handed to the routes, whose reads are served from
 *       that buffer. A body not complete {@code timeout} after the request's first byte is answered 408
 *       {@code request_timeout} and the connection closed; so is one that stalls for the idle timeout. The
 *       slowest body that gets through arrives at {@code maxBodyBytes / timeout}: that is the minimum rate.
 *       A body longer than the limit without a Content-Length (chunked) is 413 as soon as it passes it; one
 *       whose Content-Length says so goes straight to the routes, which refuse it unread.</li>
 *   <li>Headers are parsed by Jetty without a thread too, but a client that trickles them would keep its
 *       connection for ever. A sweep every {@code timeout / 5} (at most a second) closes a connection that
 *       has no request under way and received bytes of a next one more than {@code timeout} ago.</li>
 *   <li>A connection with nothing under way and nothing sent is closed by the idle timeout.</li>
 * </ul>
 */
final class RequestArrival extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(RequestArrival.class);
    private static final long LONGEST_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SHORTEST_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * A body starts in a buffer this large and doubles as bytes arrive, up to its Content-Length or the limit:
     * a client that declares a large body and sends little costs little.
     */
    private static final int FIRST_BUFFER_BYTES = 1024;

    private final int maxBodyBytes;
    private final long timeoutNanos;
    private final long sweepNanos;
    private final Map<Connection, Arrivals> connections = new ConcurrentHashMap<>();
    private volatile Scheduler.Task nextSweep;

    RequestArrival(int maxBodyBytes, Duration timeout) {
        this.maxBodyBytes = maxBodyBytes;
        this.timeoutNanos = timeout.toNanos();
        this.sweepNanos = Math.max(SHORTEST_SWEEP_NANOS, Math.min(LONGEST_SWEEP_NANOS, timeoutNanos / 5));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        Connection connection = request.getConnectionMetaData().getConnection();
        Arrivals arrivals = connections.computeIfAbsent(connection, c -> new Arrivals());
        arrivals.requestStarted();
        Tracked tracked = new Tracked(callback, arrivals, connection);
        long declared = request.getLength();
        boolean chunked = declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (declared == 0 || (declared < 0 && !chunked) || declared > maxBodyBytes) {
            boolean handled = false;
            try {
                handled = next.handle(request, response, tracked);
                return handled;
            } finally {
                if (!handled) {
                    // Jetty answers with its own callback: this request is over for the sweep.
                    tracked.end();
                }
            }
        }
        new BodyReader(next, request, response, tracked, declared).start();
        return true;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduleSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task sweep = nextSweep;
        if (sweep != null) {
            sweep.cancel();
        }
        super.doStop();
    }

    private void scheduleSweep() {
        if (isRunning()) {
            nextSweep = getServer().getScheduler().schedule(this::sweep, sweepNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes connections whose next request's headers are overdue, and forgets closed ones. */
    private void sweep() {
        try {
            long now = NanoTime.now();
            for (Connector connector : getServer().getConnectors()) {
                for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                    Connection connection = endPoint.getConnection();
                    if (connection != null && connections.computeIfAbsent(connection, c -> new Arrivals())
                            .headersOverdue(connection.getBytesIn(), now, timeoutNanos)) {
                        endPoint.close(new TimeoutException("request headers did not arrive in time"));
                    }
                }
            }
            connections.keySet().removeIf(connection -> !connection.getEndPoint().isOpen());
        } catch (RuntimeException e) {
            LOG.warn("sweeping slow connections failed: {}", e.toString());
        } finally {
            scheduleSweep();
        }
    }

    /**
     * One connection as the sweep sees it: how many of its requests are under way, and whether bytes of a
     * next request arrived while none was (and since when).
     */
    private static final class Arrivals {
        private int underWay;
        private long bytesWhenIdle;
        private boolean waiting;
        private long waitingSince;

        synchronized void requestStarted() {
            underWay++;
            waiting = false;
        }

        synchronized void requestEnded(long bytesIn) {
            underWay--;
            bytesWhenIdle = bytesIn;
            waiting = false;
        }

        synchronized boolean headersOverdue(long bytesIn, long now, long timeoutNanos) {
            if (underWay > 0 || bytesIn == bytesWhenIdle) {
                waiting = false;
                return false;
            }
            if (!waiting) {
                waiting = true;
                waitingSince = now;
                return false;
            }
            return NanoTime.elapsed(waitingSince, now) > timeoutNanos;
        }
    }

    /** The request's own callback, telling its connection's {@link Arrivals} once when the request is over. */
    private static final class Tracked implements Callback {
        private final Callback callback;
        private final Arrivals arrivals;
        private final Connection connection;
        private final AtomicBoolean ended = new AtomicBoolean();

        Tracked(Callback callback, Arrivals arrivals, Connection connection) {
            this.callback = callback;
            this.arrivals = arrivals;
            this.connection = connection;
        }

        void end() {
            if (ended.compareAndSet(false, true)) {
                arrivals.requestEnded(connection.getBytesIn());
            }
        }

        @Override
        public void succeeded() {
            end();
            callback.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            end();
            callback.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }
    }

    /**
     * Reads one request's body as it arrives, each time on the thread Jetty wakes for it, and settles it once:
     * handed to the routes when complete, or refused (408 when the deadline passes first, 413 when too large).
     */
    private final class BodyReader implements Runnable {
        private final Handler next;
        private final Request request;
        private final Response response;
        private final Tracked callback;
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile Scheduler.Task deadline;
        private final int longest;
        private byte[] body;
        private int length;

        BodyReader(Handler next, Request request, Response response, Tracked callback, long declared) {
            this.next = next;
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.longest = declared > 0 ? (int) declared : maxBodyBytes;
            this.body = new byte[Math.min(longest, FIRST_BUFFER_BYTES)];
        }

        void start() {
            long left = timeoutNanos - NanoTime.since(request.getBeginNanoTime());
            deadline = request.getComponents().getScheduler().schedule(this::expire, Math.max(0, left), TimeUnit.NANOSECONDS);
            run();
        }

        @Override
        public void run() {
            try {
                while (!settled.get()) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        fail(chunk.getFailure());
                        return;
                    }
                    boolean fits = append(chunk.getByteBuffer());
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (!fits) {
                        refuse(HttpStatus.PAYLOAD_TOO_LARGE_413, ErrorCode.VALIDATION_FAILED.value(),
                                "Request body is larger than " + maxBodyBytes + " bytes");
                        return;
                    }
                    if (last) {
                        dispatch();
                        return;
                    }
                }
            } catch (RuntimeException e) {
                // Reading after the request was refused (the deadline passed meanwhile) may fail: nothing is left to do.
                if (!settled.get()) {
                    fail(e);
                }
            }
        }

        private boolean append(ByteBuffer bytes) {
            int more = bytes.remaining();
            if (more > maxBodyBytes - length) {
                return false;
            }
            if (length + more > body.length) {
                body = Arrays.copyOf(body, Math.max(length + more, Math.min(longest, body.length * 2)));
            }
            bytes.get(body, length, more);
            length += more;
            return true;
        }

        private void expire() {
            refuse(HttpStatus.REQUEST_TIMEOUT_408, ErrorCode.REQUEST_TIMEOUT.value(), "The request did not arrive in time");
        }

        /** A stalled read (the idle timeout) is the client's lateness like any other; the rest is Jetty's to answer. */
        private void fail(Throwable failure) {
            if (failure instanceof TimeoutException) {
                expire();
            } else if (settle()) {
                callback.failed(failure);
            }
        }

        private void refuse(int status, String errorCode, String message) {
            if (!settle()) {
                return;
            }
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            try {
                JettyErrorResponses.write(request, response, callback, status, errorCode, message);
            } catch (Throwable e) {
                callback.failed(e);
            }
        }

        private void dispatch() {
            if (!settle()) {
                return;
            }
            Request buffered = new BufferedRequest(request, ByteBuffer.wrap(body, 0, length));
            try {
                if (!next.handle(buffered, response, callback)) {
                    Response.writeError(buffered, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable e) {
                Response.writeError(buffered, response, callback, e);
            }
        }

        private boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            Scheduler.Task task = deadline;
            if (task != null) {
                task.cancel();
            }
            return true;
        }
    }

    /** The request as the routes see it: its body already here, read at once, never waited for. */
    private static final class BufferedRequest extends Request.Wrapper {
        private final AtomicReference<Content.Chunk> body;

        BufferedRequest(Request request, ByteBuffer bytes) {
            super(request);
            this.body = new AtomicReference<>(Content.Chunk.from(bytes, true));
        }

        @Override
        public Content.Chunk read() {
            return body.getAndSet(Content.Chunk.EOF);
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }
}
