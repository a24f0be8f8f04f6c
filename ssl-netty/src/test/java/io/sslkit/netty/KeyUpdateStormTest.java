package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.How;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A KeyUpdate storm from a peer (TLS 1.3, the JDK client asking for an update in return each time) against each
 * server engine: the server either answers every one and stays usable, or ends the connection; either way within a
 * bounded wait, and it says which.
 */
class KeyUpdateStormTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final int STORM = 1_000;

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aKeyUpdateStormIsAnsweredOrEndsTheConnection(Provider server) throws Exception {
        try (Loopback.Pair pair = Loopback.connect(ssl,
                PKI.serverOptions(server).versions(Protocol.TLS_V1_3).build(),
                PKI.clientOptions(Provider.JDK).versions(Protocol.TLS_V1_3).build())) {
            int sent = 0;
            String outcome;
            try {
                for (; sent < STORM; sent++) {
                    pair.client().updateKeys(How.READ_WRITE);
                }
                pair.client().send("after the storm");
                byte[] got = pair.server().recv(15, Timeout.millis(30_000));
                pair.server().send("still here");
                byte[] back = pair.client().recv(10, Timeout.millis(30_000));
                outcome = "usable: " + new String(got) + " / " + new String(back);
            } catch (SslException e) {
                outcome = "ended after " + sent + " key updates: " + e.reason();
            }
            System.out.println("KeyUpdate storm of " + STORM + " against " + server + ": " + outcome);
            assertThat(outcome).matches("usable: after the storm / still here|ended after \\d+ key updates: .*");
        }
    }
}
