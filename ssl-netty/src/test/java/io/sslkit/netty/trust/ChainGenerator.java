package io.sslkit.netty.trust;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Chains root → CA... → leaf for the validator cross-check, built with BouncyCastle from a description
 * ({@link Spec} per certificate) that mutations change field by field. Keys come from a small pool (key generation
 * is what is slow); names carry the chain's number so that chains never share an issuer name.
 */
final class ChainGenerator {

    /** The instant every chain is validated at. */
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final ASN1ObjectIdentifier UNKNOWN_EXTENSION = new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1.1");

    private final List<KeyPair> keys = new ArrayList<>();

    ChainGenerator(int keyPool) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            for (int i = 0; i < keyPool; i++) {
                keys.add(g.generateKeyPair());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How one certificate is made; every field is plain data that a mutation may change. */
    static final class Spec {
        String cn;
        KeyPair key;
        Instant notBefore = NOW.minus(Duration.ofDays(30));
        Instant notAfter = NOW.plus(Duration.ofDays(30));
        /** null: no basicConstraints extension. */
        Boolean ca;
        Integer pathLen;
        /** KeyUsage bits (BouncyCastle's), null: absent. */
        Integer keyUsage;
        List<KeyPurposeId> eku;
        List<GeneralName> san;
        boolean sanCritical;
        GeneralSubtree[] permitted;
        GeneralSubtree[] excluded;
        boolean ski = true;
        boolean aki = true;
        /** An authority key id that is not the issuer's. */
        boolean wrongAki;
        /** Signed with a key that is not the issuer's. */
        boolean wrongSigner;
        /** The issuer name differs from the issuer's subject (signature still by the issuer's key). */
        boolean wrongIssuerName;
        /** An extension nobody knows, critical or not (null: none). */
        Boolean unknownExtensionCritical;
        /** The subjectAltName extension twice. */
        boolean duplicateExtension;
        /** The outer signature algorithm differs from the one inside the signed part. */
        boolean outerAlgorithmMismatch;
        String signatureAlgorithm = "SHA256withECDSA";
    }

    /** A chain description: {@code specs[0]} is the root (the trust anchor), the last is the leaf. */
    static final class ChainSpec {
        final List<Spec> specs = new ArrayList<>();
        /** What was changed, for the report. */
        final List<String> mutations = new ArrayList<>();
        /** How the peer presents it: indexes into the built list, in order (default leaf, CAs upward, no root). */
        List<Integer> presented;

        Spec leaf() {
            return specs.get(specs.size() - 1);
        }
    }

    /** A well-formed chain with {@code intermediates} CAs between the root and the leaf. */
    ChainSpec good(int id, int intermediates, Random random) {
        ChainSpec c = new ChainSpec();
        for (int i = 0; i <= intermediates + 1; i++) {
            Spec s = new Spec();
            boolean leaf = i == intermediates + 1;
            s.cn = "c" + id + (i == 0 ? "-root" : leaf ? "-leaf" : "-ca" + i);
            s.key = keys.get(random.nextInt(keys.size()));
            if (!leaf) {
                s.ca = true;
                s.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            } else {
                s.keyUsage = KeyUsage.digitalSignature;
                s.eku = List.of(KeyPurposeId.id_kp_serverAuth);
                s.san = List.of(new GeneralName(GeneralName.dNSName, "host" + id + ".ok.test"));
            }
            c.specs.add(s);
        }
        // two certificates of one chain must not share a key: a key reused would make a wrong signer a right one
        for (int i = 1; i < c.specs.size(); i++) {
            while (c.specs.get(i).key == c.specs.get(i - 1).key) {
                c.specs.get(i).key = keys.get(random.nextInt(keys.size()));
            }
        }
        return c;
    }

    /** Builds the certificates, root first; null if the JDK cannot even parse one (then no TLS peer could send it). */
    List<X509Certificate> build(ChainSpec c) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (int i = 0; i < c.specs.size(); i++) {
            Spec s = c.specs.get(i);
            Spec issuer = i == 0 ? s : c.specs.get(i - 1);
            X509Certificate cert = build(s, issuer, i);
            if (cert == null) {
                return null;
            }
            out.add(cert);
        }
        return out;
    }

    private X509Certificate build(Spec s, Spec issuer, int serial) throws Exception {
        X500Name issuerName = new X500Name("CN=" + issuer.cn + (s.wrongIssuerName ? "-other" : ""));
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, BigInteger.valueOf(serial + 1000L),
                Date.from(s.notBefore), Date.from(s.notAfter), new X500Name("CN=" + s.cn),
                SubjectPublicKeyInfo.getInstance(s.key.getPublic().getEncoded()));
        JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
        if (s.ca != null) {
            b.addExtension(Extension.basicConstraints, true,
                    s.ca && s.pathLen != null ? new BasicConstraints(s.pathLen) : new BasicConstraints(s.ca));
        }
        if (s.keyUsage != null) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(s.keyUsage));
        }
        if (s.eku != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(s.eku.toArray(KeyPurposeId[]::new)));
        }
        if (s.san != null) {
            b.addExtension(Extension.subjectAlternativeName, s.sanCritical,
                    new GeneralNames(s.san.toArray(GeneralName[]::new)));
        }
        if (s.permitted != null || s.excluded != null) {
            b.addExtension(Extension.nameConstraints, true, new NameConstraints(s.permitted, s.excluded));
        }
        if (s.ski) {
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(s.key.getPublic()));
        }
        if (s.aki && s != issuer) {
            b.addExtension(Extension.authorityKeyIdentifier, false, s.wrongAki
                    ? new AuthorityKeyIdentifier(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})
                    : u.createAuthorityKeyIdentifier(issuer.key.getPublic()));
        }
        if (s.unknownExtensionCritical != null) {
            b.addExtension(UNKNOWN_EXTENSION, s.unknownExtensionCritical, new DEROctetString(new byte[] {5, 0}));
        }
        PrivateKey signer = s.wrongSigner ? otherKey(issuer.key, s.key).getPrivate() : issuer.key.getPrivate();
        ContentSigner cs = new JcaContentSignerBuilder(s.signatureAlgorithm).build(signer);
        ASN1Sequence tbs = ASN1Sequence.getInstance(b.build(cs).toASN1Structure().getTBSCertificate()
                .toASN1Primitive());
        if (s.duplicateExtension) {
            tbs = withDuplicateExtension(tbs);
        }
        // sign the (possibly rewritten) TBSCertificate again
        ContentSigner again = new JcaContentSignerBuilder(s.signatureAlgorithm).build(signer);
        again.getOutputStream().write(tbs.getEncoded(ASN1Encoding.DER));
        AlgorithmIdentifier outer = s.outerAlgorithmMismatch
                ? new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384) : again.getAlgorithmIdentifier();
        byte[] der = new DERSequence(new ASN1Encodable[] {tbs, outer, new DERBitString(again.getSignature())})
                .getEncoded(ASN1Encoding.DER);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (java.security.cert.CertificateException e) {
            return null;
        }
    }

    private KeyPair otherKey(KeyPair a, KeyPair b) {
        for (KeyPair k : keys) {
            if (k != a && k != b) {
                return k;
            }
        }
        throw new IllegalStateException("key pool too small");
    }

    /** The TBSCertificate with its last extension repeated. */
    private static ASN1Sequence withDuplicateExtension(ASN1Sequence tbs) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (int i = 0; i < tbs.size(); i++) {
            ASN1Encodable e = tbs.getObjectAt(i);
            if (e instanceof ASN1TaggedObject t && t.getTagNo() == 3) {
                ASN1Sequence exts = ASN1Sequence.getInstance(t.getExplicitBaseObject());
                ASN1EncodableVector ev = new ASN1EncodableVector();
                for (int k = 0; k < exts.size(); k++) {
                    ev.add(exts.getObjectAt(k));
                }
                ev.add(exts.getObjectAt(exts.size() - 1));
                e = new DERTaggedObject(true, 3, new DERSequence(ev));
            }
            v.add(e);
        }
        return new DERSequence(v);
    }
}
