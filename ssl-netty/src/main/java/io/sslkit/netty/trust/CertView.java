package io.sslkit.netty.trust;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * One certificate as path validation reads it: the JDK's {@link X509Certificate} for keys, dates and signatures, and
 * BouncyCastle's ASN.1 view for the extensions in the order the certificate lists them. Parsed once per handshake.
 */
final class CertView {

    /**
     * Whether OTP's path validation consumes {@code e} itself instead of showing it to the fun
     * (pubkey_cert:validate_extensions/7): basicConstraints, keyUsage, nameConstraints and extKeyUsage always; a
     * critical subjectAltName that holds a name; certificatePolicies and policyConstraints when not critical.
     */
    static boolean consumed(Extension e) {
        ASN1ObjectIdentifier id = e.getExtnId();
        if (id.equals(Extension.basicConstraints) || id.equals(Extension.keyUsage)
                || id.equals(Extension.nameConstraints) || id.equals(Extension.extendedKeyUsage)) {
            return true;
        }
        if (id.equals(Extension.subjectAlternativeName)) {
            return e.isCritical() && GeneralNames.getInstance(e.getParsedValue()).getNames().length > 0;
        }
        return (id.equals(Extension.certificatePolicies) || id.equals(Extension.policyConstraints))
                && !e.isCritical();
    }

    final X509Certificate cert;
    final Extensions extensions;

    private CertView(X509Certificate cert, Extensions extensions) {
        this.cert = cert;
        this.extensions = extensions;
    }

    static CertView of(X509Certificate cert) {
        try {
            Certificate bc = Certificate.getInstance(cert.getEncoded());
            return new CertView(cert, bc.getTBSCertificate().getExtensions());
        } catch (CertificateEncodingException | IllegalArgumentException e) {
            return new CertView(cert, null);
        }
    }

    X500Principal subject() {
        return cert.getSubjectX500Principal();
    }

    X500Principal issuer() {
        return cert.getIssuerX500Principal();
    }

    /** RFC 5280: self-issued = same subject and issuer (not necessarily self-signed). */
    boolean selfIssued() {
        return subject().equals(issuer());
    }

    boolean validAt(Instant now) {
        return !now.isBefore(cert.getNotBefore().toInstant()) && !now.isAfter(cert.getNotAfter().toInstant());
    }

    /** The extensions in certificate order. */
    List<Extension> extensionsInOrder() {
        List<Extension> out = new ArrayList<>();
        if (extensions != null) {
            for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
                out.add(extensions.getExtension(oid));
            }
        }
        return out;
    }

    BasicConstraints basicConstraints() {
        return extensions == null ? null : BasicConstraints.fromExtensions(extensions);
    }

    NameConstraints nameConstraints() {
        Extension e = extensions == null ? null : extensions.getExtension(Extension.nameConstraints);
        return e == null ? null : NameConstraints.getInstance(e.getParsedValue());
    }

    GeneralName[] subjectAltNames() {
        GeneralNames names = extensions == null ? null : GeneralNames.fromExtensions(extensions,
                Extension.subjectAlternativeName);
        return names == null ? new GeneralName[0] : names.getNames();
    }

    X500Name subjectName() {
        return X500Name.getInstance(subject().getEncoded());
    }

    byte[] subjectKeyId() {
        SubjectKeyIdentifier ski = extensions == null ? null : SubjectKeyIdentifier.fromExtensions(extensions);
        return ski == null ? null : ski.getKeyIdentifier();
    }

    byte[] authorityKeyId() {
        AuthorityKeyIdentifier aki = extensions == null ? null : AuthorityKeyIdentifier.fromExtensions(extensions);
        return aki == null ? null : aki.getKeyIdentifierOctets();
    }

    /** Whether this certificate names {@code issuer}'s subject as its issuer. */
    boolean namesAsIssuer(CertView issuer) {
        return issuer().equals(issuer.subject());
    }

    /** Whether the authority key id agrees with {@code issuer}'s subject key id, where both have one. */
    boolean keyIdMatches(CertView issuer) {
        byte[] aki = authorityKeyId();
        byte[] ski = issuer.subjectKeyId();
        return aki == null || ski == null || Arrays.equals(aki, ski);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertView v && v.cert.equals(cert);
    }

    @Override
    public int hashCode() {
        return cert.hashCode();
    }

    @Override
    public String toString() {
        return subject().getName();
    }
}
