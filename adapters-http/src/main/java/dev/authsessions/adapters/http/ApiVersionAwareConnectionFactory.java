package dev.authsessions.adapters.http;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 connections whose early refusals still know which error shape the client asked for. A
 * request Jetty refuses while parsing it (a bad Content-Length, a malformed or oversized header, a
 * path it cannot decode) reaches {@link JettyErrorResponses} as a request without headers, so the
 * {@code X-Supabase-Api-Version} header it carried would be lost. Each connection therefore notes that
 * header as it is parsed, in a connection attribute that lives as long as the request, and a request
 * line whose target cannot be parsed at all (a bad percent-escape, which Jetty refuses before reading
 * a single header) is held back until its headers are in, and only then refused.
 *
 * <p>This extends {@code HttpConnection}, which Jetty keeps in an internal package: a Jetty upgrade
 * that changes it breaks this class's compilation or the tests of the dated error shape, not silently
 * the answers.
 */
final class ApiVersionAwareConnectionFactory extends HttpConnectionFactory {
    /** The {@code X-Supabase-Api-Version} of the request being parsed or answered on a connection, if it sent one. */
    static final String API_VERSION_ATTRIBUTE = ApiVersionAwareConnectionFactory.class.getName() + ".apiVersion";

    private ApiVersionAwareConnectionFactory(HttpConfiguration configuration) {
        super(configuration);
    }

    /** A plain-HTTP connector on {@code host:port} whose connections are of this kind. */
    static ServerConnector connector(org.eclipse.jetty.server.Server server, HttpConfiguration configuration, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new ApiVersionAwareConnectionFactory(configuration));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        NotingConnection connection = new NotingConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** The refusal of a request whose target did not parse; its message is ours, so it may be shown. */
    static final class MalformedTarget extends BadMessageException {
        static final String MESSAGE = "The path is not valid percent-encoding";

        MalformedTarget() {
            super(400, MESSAGE);
        }
    }

    private static final class NotingConnection extends HttpConnection {
        NotingConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
            removeAttribute(API_VERSION_ATTRIBUTE);
            try {
                return new NotingStream(method, uri, version, false);
            } catch (IllegalArgumentException unparsable) {
                // The target is not kept: it is malformed, and the answer never quotes the request.
                return new NotingStream(method, "/", version, true);
            }
        }

        private final class NotingStream extends HttpStreamOverHTTP1 {
            private final boolean malformedTarget;

            NotingStream(String method, String uri, HttpVersion version, boolean malformedTarget) {
                super(method, uri, version);
                this.malformedTarget = malformedTarget;
            }

            @Override
            public void parsedHeader(HttpField field) {
                if (field.is(ErrorResponses.API_VERSION_HEADER) && getAttribute(API_VERSION_ATTRIBUTE) == null) {
                    setAttribute(API_VERSION_ATTRIBUTE, field.getValue());
                }
                super.parsedHeader(field);
            }

            @Override
            public Runnable headerComplete() {
                if (malformedTarget) {
                    throw new MalformedTarget();
                }
                return super.headerComplete();
            }

            @Override
            public void succeeded() {
                removeAttribute(API_VERSION_ATTRIBUTE);
                super.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                removeAttribute(API_VERSION_ATTRIBUTE);
                super.failed(failure);
            }
        }
    }
}
