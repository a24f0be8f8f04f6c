package io.sslkit;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The peer's certificate as {@code ssl:peercert/1} gives it: the DER bytes, with an {@link X509Certificate} view.
 */
public final class PeerCert {

    private final byte[] der;
    private final X509Certificate certificate;

    private PeerCert(byte[] der, X509Certificate certificate) {
        this.der = der;
        this.certificate = certificate;
    }

    /** Wraps a certificate. */
    public static PeerCert of(X509Certificate certificate) throws CertificateException {
        return new PeerCert(certificate.getEncoded(), certificate);
    }

    /** Parses DER bytes. */
    public static PeerCert ofDer(byte[] der) throws CertificateException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
        return new PeerCert(der.clone(), c);
    }

    /** The DER encoding, as Erlang's {@code {ok, DerBin}} (a fresh copy). */
    public byte[] der() {
        return der.clone();
    }

    /** The parsed certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return "PeerCert[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
