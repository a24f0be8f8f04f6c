package io.sslkit.netty.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Turns a {@link HeldCertificate.Builder} into a signed certificate. Keys, signatures and the certificate factory
 * come from the JDK's providers; BouncyCastle only assembles the ASN.1.
 */
final class CertificateMaker {

    static final SecureRandom RANDOM = new SecureRandom();

    private CertificateMaker() {
    }

    static HeldCertificate make(HeldCertificate.Builder b) {
        KeyPair keyPair = b.keyPair != null ? b.keyPair : generate(b.keyType);
        X500Name subject = subjectName(b);
        X500Name issuerName = b.issuer == null ? subject
                : X500Name.getInstance(b.issuer.certificate().getSubjectX500Principal().getEncoded());
        PrivateKey signingKey = b.signatureKey != null ? b.signatureKey
                : b.issuer != null ? b.issuer.privateKey() : keyPair.getPrivate();
        Instant now = Instant.now();
        Instant notBefore = b.notBefore != null ? b.notBefore : now.minus(HeldCertificate.Builder.CLOCK_SKEW);
        Instant notAfter = b.notAfter != null ? b.notAfter : now.plus(HeldCertificate.Builder.DEFAULT_DURATION);
        // RFC 5280 4.1.2.2: positive, at most 20 octets; 127 random bits + 1 needs at most 17.
        BigInteger serial = b.serialNumber != null ? b.serialNumber
                : new BigInteger(127, RANDOM).add(BigInteger.ONE);

        X509v3CertificateBuilder cert = new X509v3CertificateBuilder(issuerName, serial, Date.from(notBefore),
                Date.from(notAfter), subject, SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()));
        try {
            for (Extension extension : extensions(b, keyPair.getPublic()).values()) {
                cert.addExtension(extension);
            }
            X509CertificateHolder holder = cert.build(signer(signingKey));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new HeldCertificate(certificate, keyPair);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair generate(HeldCertificate.KeyType type) {
        try {
            KeyPairGenerator generator;
            if (type == HeldCertificate.KeyType.RSA_2048) {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), RANDOM);
            } else {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + type + " key pair: " + e.getMessage(), e);
        }
    }

    private static X500Name subjectName(HeldCertificate.Builder b) {
        // Encoded OU first, so that RFC 2253 (which prints the last RDN first) reads "CN=...,OU=...".
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        if (b.organizationalUnit != null) {
            name.addRDN(BCStyle.OU, b.organizationalUnit);
        }
        name.addRDN(BCStyle.CN, b.commonNameOrDefault());
        return name.build();
    }

    /** The extensions in the order they are written; custom ones replace built-in ones with the same OID. */
    private static Map<ASN1ObjectIdentifier, Extension> extensions(HeldCertificate.Builder b, PublicKey publicKey)
            throws IOException, GeneralSecurityException {
        Map<ASN1ObjectIdentifier, Extension> out = new LinkedHashMap<>();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        if (b.keyIdentifiers) {
            put(out, Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
        }
        if (b.keyIdentifiers && b.issuer != null) {
            put(out, Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(b.issuer, utils));
        }
        putConstraintsAndUsage(out, b);
        if (!b.subjectAlternativeNames.isEmpty()) {
            put(out, Extension.subjectAlternativeName, false, subjectAlternativeNames(b.subjectAlternativeNames));
        }
        if (!b.extendedKeyUsage.isEmpty()) {
            KeyPurposeId[] purposes = b.extendedKeyUsage.stream()
                    .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                    .toArray(KeyPurposeId[]::new);
            put(out, Extension.extendedKeyUsage, b.extendedKeyUsageCritical, new ExtendedKeyUsage(purposes));
        }
        if (b.permittedDnsNames != null) {
            // RFC 5280 4.2.1.10: conforming CAs MUST mark name constraints critical.
            put(out, Extension.nameConstraints, true,
                    new NameConstraints(subtrees(b.permittedDnsNames), subtrees(b.excludedDnsNames)));
        }
        for (HeldCertificate.Builder.CustomExtension custom : b.extensions.values()) {
            ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(custom.oid());
            out.put(oid, new Extension(oid, custom.critical(), custom.derValue()));
        }
        return out;
    }

    /** basicConstraints and keyUsage, both critical as RFC 5280 4.2.1.3 and 4.2.1.9 ask of CAs. */
    private static void putConstraintsAndUsage(Map<ASN1ObjectIdentifier, Extension> out, HeldCertificate.Builder b)
            throws IOException {
        boolean ca = b.maxIntermediateCas >= 0;
        if (b.basicConstraints) {
            put(out, Extension.basicConstraints, true,
                    ca ? new BasicConstraints(b.maxIntermediateCas) : new BasicConstraints(false));
        }
        int usage = b.keyUsage != null ? b.keyUsage
                : ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        if (usage != 0) {
            put(out, Extension.keyUsage, true, new KeyUsage(usage));
        }
    }

    private static void put(Map<ASN1ObjectIdentifier, Extension> out, ASN1ObjectIdentifier oid, boolean critical,
            ASN1Encodable value) throws IOException {
        out.put(oid, new Extension(oid, critical, value.toASN1Primitive().getEncoded()));
    }

    /** The issuer's own subject key identifier, so that the two match byte for byte whatever method made it. */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(HeldCertificate issuer, JcaX509ExtensionUtils utils) {
        byte[] ski = issuer.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski == null) {
            return utils.createAuthorityKeyIdentifier(issuer.certificate().getPublicKey());
        }
        byte[] keyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets())
                .getKeyIdentifier();
        return new AuthorityKeyIdentifier(keyId);
    }

    private static GeneralNames subjectAlternativeNames(List<String> names) {
        GeneralName[] out = new GeneralName[names.size()];
        for (int i = 0; i < out.length; i++) {
            String name = names.get(i);
            String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
            out[i] = IPAddress.isValid(bare)
                    ? new GeneralName(GeneralName.iPAddress, bare)
                    : new GeneralName(GeneralName.dNSName, name);
        }
        return new GeneralNames(out);
    }

    private static GeneralSubtree[] subtrees(List<String> dnsNames) {
        if (dnsNames.isEmpty()) {
            return null; // NameConstraints omits an absent part; an empty SEQUENCE would be invalid DER.
        }
        return dnsNames.stream()
                .map(name -> new GeneralSubtree(new GeneralName(GeneralName.dNSName, name)))
                .toArray(GeneralSubtree[]::new);
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm(key)).setSecureRandom(RANDOM).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** The signature algorithm a key of this type signs certificates with. */
    static String signatureAlgorithm(PrivateKey key) {
        if (key instanceof EdECKey ed) {
            return ed.getParams().getName(); // "Ed25519" or "Ed448": the JDK calls both key types "EdDSA"
        }
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key");
        };
    }
}
