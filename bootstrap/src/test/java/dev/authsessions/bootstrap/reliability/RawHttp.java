package dev.authsessions.bootstrap.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain loopback socket, one connection per request, so a test can send what no
 * well-behaved client library would: raw bytes in the request line and headers, NULs, duplicate and
 * huge headers, any body. The request is written exactly as given; the answer is read to the end.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 20_000;

    private RawHttp() {
    }

    /** A request to send: {@code target} goes into the request line as it is, headers as raw bytes. */
    record Request(String method, byte[] target, List<byte[][]> headers, byte[] body, boolean contentLength) {

        static Request of(String method, String target) {
            return new Request(method, target.getBytes(StandardCharsets.UTF_8), new ArrayList<>(), new byte[0], true);
        }

        Request header(String name, String value) {
            return header(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }

        Request header(byte[] name, byte[] value) {
            List<byte[][]> all = new ArrayList<>(headers);
            all.add(new byte[][] {name, value});
            return new Request(method, target, all, body, contentLength);
        }

        Request body(byte[] bytes) {
            return new Request(method, target, headers, bytes, contentLength);
        }

        Request body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends no Content-Length of its own (the test sets a hostile one, or none). */
        Request withoutContentLength() {
            return new Request(method, target, headers, body, false);
        }

        /** The header's value as text, for messages; null when absent. */
        String headerValue(String name) {
            for (byte[][] header : headers) {
                if (new String(header[0], StandardCharsets.ISO_8859_1).equalsIgnoreCase(name)) {
                    return new String(header[1], StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(target);
            out.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII));
            for (byte[][] header : headers) {
                out.writeBytes(header[0]);
                out.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(header[1]);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (contentLength && (body.length > 0 || !method.equals("GET"))) {
                out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            return out.toByteArray();
        }

        /** A short printable description for failure messages. */
        String describe() {
            StringBuilder text = new StringBuilder(method).append(' ').append(printable(target, 200));
            for (byte[][] header : headers) {
                text.append("\n    ").append(printable(header[0], 60)).append(": ").append(printable(header[1], 160));
            }
            text.append("\n    body (").append(body.length).append(" bytes): ").append(printable(body, 400));
            return text.toString();
        }
    }

    /** An answer: status 0 means the server closed the connection without answering. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + printable(body, 400);
        }
    }

    static Response exchange(int port, Request request) {
        return exchange(port, request.bytes(), request.describe());
    }

    /** Sends {@code raw} as it is, then half-closes, so a request that promised more bytes than it sent still ends. */
    static Response exchange(int port, byte[] raw, String description) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(raw);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before it has read everything (a body over the limit): read the answer anyway.
            }
            return parse(readAll(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT_MILLIS + " ms to " + description, e);
        } catch (IOException e) {
            throw new AssertionError("I/O error (" + e + ") on " + description, e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // A reset after the answer was sent: keep what arrived.
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    private static Response parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
            return new Response(0, Map.of(), raw);
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            body = Arrays.copyOf(body, Math.min(body.length, Integer.parseInt(headers.get("content-length"))));
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(Arrays.copyOfRange(chunked, at, chunked.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, at, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            at += lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(chunked, at, Math.min(size, chunked.length - at));
            at += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String printable(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        for (int i = 0; i < decoded.length() && text.length() < max; i++) {
            char c = decoded.charAt(i);
            text.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        if (text.length() >= max) {
            text.append("…(").append(bytes.length).append(" bytes)");
        }
        return text.toString();
    }
}
