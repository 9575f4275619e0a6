package io.stocktracker.edge.http;

import io.javalin.config.JettyConfig;
import io.stocktracker.edge.security.TransportSecurity;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.KeyStoreScanner;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The edge's https/wss listener next to its plain one, on the same Jetty (so UI, REST and {@code /ws} are served on
 * both). Javalin adds its own default connector only when none is configured, so with TLS both are added here, the
 * plain one first: {@code Javalin.port()} keeps answering the plain port.
 */
public final class TlsListener {
    private final AtomicReference<ServerConnector> connector = new AtomicReference<>();

    private TlsListener() {
    }

    /** Does nothing (Javalin's default plain connector stays) when {@code settings} has no keystore. */
    public static TlsListener install(JettyConfig jetty, int httpPort, TransportSecurity settings) {
        TlsListener listener = new TlsListener();
        if (!settings.tlsEnabled()) {
            return listener;
        }
        jetty.addConnector((server, http) -> {
            ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(http));
            plain.setHost(jetty.host);
            plain.setPort(httpPort);
            return plain;
        });
        jetty.addConnector((server, http) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePath(settings.keystorePath().toAbsolutePath().toString());
            ssl.setKeyStorePassword(settings.keystorePassword());
            HttpConfiguration https = new HttpConfiguration(http);
            // marks requests secure (request.isSecure(), scheme https) and checks the Host against the certificate
            https.addCustomizer(new SecureRequestCustomizer());
            ServerConnector tls = new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(https));
            tls.setName("tls");
            tls.setHost(jetty.host);
            tls.setPort(settings.tlsPort());
            if (!settings.keystoreReload().isZero()) {
                // a renewed certificate (cert-manager, certbot) is picked up by new handshakes without a restart
                KeyStoreScanner scanner = new KeyStoreScanner(ssl);
                scanner.setScanInterval((int) Math.max(1, settings.keystoreReload().toSeconds()));
                server.addBean(scanner);
            }
            listener.connector.set(tls);
            return tls;
        });
        return listener;
    }

    /** The bound https/wss port, or -1 without TLS (or before start). */
    public int port() {
        ServerConnector c = connector.get();
        return c == null ? -1 : c.getLocalPort();
    }
}
