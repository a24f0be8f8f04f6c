package io.sslkit;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What path validation tells a {@link VerifyFun} about one certificate: Erlang's
 * {@code {bad_cert, Reason} | {extension, #'Extension'{}} | valid | valid_peer}.
 *
 * <p>For each certificate, from the one issued by the trust anchor down to the peer's, the fun sees first an
 * {@link Extension} for each extension the validator does not itself act on, then a {@link BadCert} for each
 * problem found, then {@link Valid} (a CA certificate) or {@link ValidPeer} (the peer's own). See {@link VerifyFun}.
 */
public sealed interface VerifyEvent
        permits VerifyEvent.BadCert, VerifyEvent.Extension, VerifyEvent.Valid, VerifyEvent.ValidPeer {

    /** {@code valid}: a CA certificate of the path passed every check (or the fun accepted each problem). */
    Valid VALID = new Valid();
    /** {@code valid_peer}: the peer's certificate passed every check, host name included. */
    ValidPeer VALID_PEER = new ValidPeer();

    /** {@code {bad_cert, Reason}}: a problem with this certificate. */
    static BadCert badCert(BadCertReason reason) {
        return new BadCert(reason);
    }

    /** {@code {bad_cert, Reason}}. */
    record BadCert(BadCertReason reason) implements VerifyEvent {
        public BadCert {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "{bad_cert," + reason.erlangName() + "}";
        }
    }

    /**
     * {@code {extension, #'Extension'{}}}: an extension the validator does not act on itself (such as
     * subjectAltName, certificatePolicies or a private one). Answering {@link VerifyResult.Unknown} for a
     * critical one makes it {@link BadCertReason#UNKNOWN_CRITICAL_EXTENSION}.
     *
     * @param oid      the extension's OID, dotted ({@code 2.5.29.17})
     * @param critical whether it is marked critical
     * @param der      the DER of the extension's value: the contents of its {@code extnValue} OCTET STRING
     */
    record Extension(String oid, boolean critical, byte[] der) implements VerifyEvent {
        public Extension {
            Objects.requireNonNull(oid, "oid");
            der = der.clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extension e && e.oid.equals(oid) && e.critical == critical
                    && Arrays.equals(e.der, der);
        }

        @Override
        public int hashCode() {
            return Objects.hash(oid, critical, Arrays.hashCode(der));
        }

        @Override
        public String toString() {
            return "{extension,{'Extension'," + oid + "," + critical + ",<<16#"
                    + HexFormat.of().formatHex(der, 0, Math.min(der.length, 32)) + (der.length > 32 ? "..." : "")
                    + ">>}}";
        }
    }

    /** {@code valid}. */
    record Valid() implements VerifyEvent {
        @Override
        public String toString() {
            return "valid";
        }
    }

    /** {@code valid_peer}. */
    record ValidPeer() implements VerifyEvent {
        @Override
        public String toString() {
            return "valid_peer";
        }
    }
}
