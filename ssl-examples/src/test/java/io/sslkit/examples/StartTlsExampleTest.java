package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Ssl;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StartTlsExampleTest {

    @Test
    void plainConversationUpgradedToTls() throws Exception {
        List<String> transcript = new CopyOnWriteArrayList<>();
        try (Ssl ssl = Ssl.start()) {
            new StartTlsExample(ssl).run(transcript::add);
        }
        assertThat(transcript).hasSize(6);
        assertThat(transcript.get(0)).isEqualTo("S: 220 sslkit STARTTLS example ready");
        assertThat(transcript.get(1)).isEqualTo("C: STARTTLS");
        assertThat(transcript.get(2)).isEqualTo("S: 220 go ahead");
        assertThat(transcript.get(3)).matches("   -- client: TLS tlsv1\\.3 TLS_\\w+, server CN=localhost --");
        assertThat(transcript.get(4)).isEqualTo("C: HELLO over TLS");
        assertThat(transcript.get(5)).isEqualTo("S: 250 you said: HELLO over TLS");
    }
}
