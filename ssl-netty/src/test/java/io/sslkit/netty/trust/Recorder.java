package io.sslkit.netty.trust;

import io.sslkit.VerifyEvent;
import io.sslkit.VerifyFun;
import io.sslkit.VerifyResult;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.naming.ldap.LdapName;

/**
 * A verify_fun that writes down every call as {@code "<CN> <event>"} (extensions as {@code ext:<oid>}, a
 * {@code !} for critical ones) and answers as another fun does. Thread-safe: engines call it on their own threads.
 */
final class Recorder<S> implements VerifyFun<S> {

    /** Accepts everything, as OTP's {@code fun(_, _, S) -> {valid, S} end}. */
    static final VerifyFun<Object> ACCEPT_ALL = (cert, event, state) -> VerifyResult.valid(state);

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final VerifyFun<S> answer;
    /**
     * Whether the subject and authority key identifier events (which every generated certificate carries, and
     * which OTP shows the fun) are written down; left out unless asked for, to keep the sequences readable.
     */
    private volatile boolean keyIdentifiers;

    Recorder(VerifyFun<S> answer) {
        this.answer = answer;
    }

    /** Records and answers as the default fun of verify_peer. */
    static <S> Recorder<S> verifyPeer() {
        return new Recorder<>(VerifyFun.verifyPeer());
    }

    /** Records and accepts everything. */
    @SuppressWarnings("unchecked")
    static <S> Recorder<S> acceptAll() {
        return new Recorder<>((VerifyFun<S>) ACCEPT_ALL);
    }

    /** Writes down the key identifier events too. */
    Recorder<S> withKeyIdentifiers() {
        keyIdentifiers = true;
        return this;
    }

    @Override
    public VerifyResult<S> verify(X509Certificate cert, VerifyEvent event, S state) {
        boolean keyId = event instanceof VerifyEvent.Extension e
                && (e.oid().equals("2.5.29.14") || e.oid().equals("2.5.29.35"));
        if (keyIdentifiers || !keyId) {
            calls.add(cn(cert) + " " + describe(event));
        }
        return answer.verify(cert, event, state);
    }

    static String describe(VerifyEvent event) {
        if (event instanceof VerifyEvent.Extension e) {
            return "ext:" + e.oid() + (e.critical() ? "!" : "");
        }
        return event.toString();
    }

    static String cn(X509Certificate cert) {
        try {
            return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> String.valueOf(r.getValue()))
                    .findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }
}
