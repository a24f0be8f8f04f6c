package io.sslkit.netty.trust;

import io.sslkit.netty.trust.ChainGenerator.ChainSpec;
import io.sslkit.netty.trust.ChainGenerator.Spec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * One change to one certificate of a chain description (or to how the chain is presented), for the validator
 * cross-check. {@link #applies} says which positions make sense: 0 is the root, the last index the leaf.
 */
enum Mutation {
    EXPIRED(Where.ANY), NOT_YET_VALID(Where.ANY),
    NO_BASIC_CONSTRAINTS(Where.CA), CA_FALSE(Where.CA), PATH_LEN_ZERO_ABOVE_A_CA(Where.CA_ABOVE_CA),
    NO_KEY_CERT_SIGN(Where.CA), LEAF_KU_KEY_CERT_SIGN_ONLY(Where.LEAF), LEAF_KU_KEY_AGREEMENT_ONLY(Where.LEAF),
    LEAF_NO_KEY_USAGE(Where.LEAF), EKU_CLIENT_AUTH_ONLY(Where.ANY), EKU_ANY(Where.LEAF), EKU_NONE(Where.LEAF),
    NC_DNS_PERMITTED_INSIDE(Where.CA), NC_DNS_PERMITTED_OUTSIDE(Where.CA), NC_DNS_EXCLUDED(Where.CA),
    NC_IP_PERMITTED_INSIDE(Where.CA), NC_IP_PERMITTED_OUTSIDE(Where.CA), NC_IP_EXCLUDED(Where.CA),
    NC_EMAIL_PERMITTED_INSIDE(Where.CA), NC_EMAIL_PERMITTED_OUTSIDE(Where.CA),
    SAN_WILDCARD(Where.LEAF), SAN_URI(Where.LEAF), SAN_IP(Where.LEAF), SAN_EMAIL_ONLY(Where.LEAF),
    SAN_CRITICAL(Where.LEAF), NO_SAN(Where.LEAF),
    WRONG_SIGNER(Where.NOT_ROOT), WRONG_ISSUER_NAME(Where.NOT_ROOT), WRONG_AKI(Where.NOT_ROOT),
    NO_KEY_IDS(Where.ANY), UNKNOWN_CRITICAL_EXTENSION(Where.ANY), UNKNOWN_NONCRITICAL_EXTENSION(Where.ANY),
    DUPLICATE_EXTENSION(Where.ANY), OUTER_ALGORITHM_MISMATCH(Where.ANY), SHA384(Where.ANY), LEAF_IS_CA(Where.LEAF),
    VALIDITY_OUTSIDE_ISSUER(Where.NOT_ROOT),
    SHUFFLED(Where.ORDER), MISSING_INTERMEDIATE(Where.ORDER), ROOT_INCLUDED(Where.ORDER);

    private enum Where { ANY, CA, CA_ABOVE_CA, LEAF, NOT_ROOT, ORDER }

    private final Where where;

    Mutation(Where where) {
        this.where = where;
    }

    /** Whether this mutation makes sense at {@code target} of {@code c} (ORDER mutations use target 0). */
    boolean applies(ChainSpec c, int target) {
        int leaf = c.specs.size() - 1;
        return switch (where) {
            case ANY -> true;
            case CA -> target < leaf;
            case CA_ABOVE_CA -> target < leaf - 1;
            case LEAF -> target == leaf;
            case NOT_ROOT -> target > 0;
            case ORDER -> target == 0 && (this != MISSING_INTERMEDIATE && this != SHUFFLED || leaf >= 2);
        };
    }

    /** Changes {@code c}; records itself in {@code c.mutations}. */
    void apply(ChainSpec c, int target, Random random) {
        Spec s = c.specs.get(target);
        Spec leaf = c.leaf();
        c.mutations.add(this + "@" + target);
        switch (this) {
            case EXPIRED -> s.notAfter = ChainGenerator.NOW.minus(Duration.ofDays(1));
            case NOT_YET_VALID -> s.notBefore = ChainGenerator.NOW.plus(Duration.ofDays(1));
            case NO_BASIC_CONSTRAINTS -> s.ca = null;
            case CA_FALSE -> s.ca = false;
            case PATH_LEN_ZERO_ABOVE_A_CA -> s.pathLen = 0;
            case NO_KEY_CERT_SIGN -> s.keyUsage = KeyUsage.digitalSignature | KeyUsage.cRLSign;
            case LEAF_KU_KEY_CERT_SIGN_ONLY -> s.keyUsage = KeyUsage.keyCertSign;
            case LEAF_KU_KEY_AGREEMENT_ONLY -> s.keyUsage = KeyUsage.keyAgreement;
            case LEAF_NO_KEY_USAGE -> s.keyUsage = null;
            case EKU_CLIENT_AUTH_ONLY -> s.eku = List.of(KeyPurposeId.id_kp_clientAuth);
            case EKU_ANY -> s.eku = List.of(KeyPurposeId.anyExtendedKeyUsage);
            case EKU_NONE -> s.eku = null;
            case NC_DNS_PERMITTED_INSIDE -> s.permitted = subtrees(GeneralName.dNSName, "ok.test");
            case NC_DNS_PERMITTED_OUTSIDE -> s.permitted = subtrees(GeneralName.dNSName, "other.test");
            case NC_DNS_EXCLUDED -> s.excluded = subtrees(GeneralName.dNSName, "ok.test");
            case NC_IP_PERMITTED_INSIDE -> {
                s.permitted = subtrees(GeneralName.iPAddress, "10.0.0.0/8");
                leaf.san = List.of(new GeneralName(GeneralName.iPAddress, "10.1.2.3"));
            }
            case NC_IP_PERMITTED_OUTSIDE -> {
                s.permitted = subtrees(GeneralName.iPAddress, "192.168.0.0/16");
                leaf.san = List.of(new GeneralName(GeneralName.iPAddress, "10.1.2.3"));
            }
            case NC_IP_EXCLUDED -> {
                s.excluded = subtrees(GeneralName.iPAddress, "10.0.0.0/8");
                leaf.san = List.of(new GeneralName(GeneralName.iPAddress, "10.1.2.3"));
            }
            case NC_EMAIL_PERMITTED_INSIDE -> {
                s.permitted = subtrees(GeneralName.rfc822Name, "ok.test");
                leaf.san = List.of(new GeneralName(GeneralName.rfc822Name, "user@ok.test"));
            }
            case NC_EMAIL_PERMITTED_OUTSIDE -> {
                s.permitted = subtrees(GeneralName.rfc822Name, "other.test");
                leaf.san = List.of(new GeneralName(GeneralName.rfc822Name, "user@ok.test"));
            }
            case SAN_WILDCARD -> s.san = List.of(new GeneralName(GeneralName.dNSName, "*.ok.test"));
            case SAN_URI -> s.san = List.of(new GeneralName(GeneralName.uniformResourceIdentifier,
                    "https://x.ok.test/"));
            case SAN_IP -> s.san = List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            case SAN_EMAIL_ONLY -> s.san = List.of(new GeneralName(GeneralName.rfc822Name, "a@ok.test"));
            case SAN_CRITICAL -> s.sanCritical = true;
            case NO_SAN -> s.san = null;
            case WRONG_SIGNER -> s.wrongSigner = true;
            case WRONG_ISSUER_NAME -> s.wrongIssuerName = true;
            case WRONG_AKI -> s.wrongAki = true;
            case NO_KEY_IDS -> {
                s.ski = false;
                s.aki = false;
            }
            case UNKNOWN_CRITICAL_EXTENSION -> s.unknownExtensionCritical = true;
            case UNKNOWN_NONCRITICAL_EXTENSION -> s.unknownExtensionCritical = false;
            case DUPLICATE_EXTENSION -> s.duplicateExtension = true;
            case OUTER_ALGORITHM_MISMATCH -> s.outerAlgorithmMismatch = true;
            case SHA384 -> s.signatureAlgorithm = "SHA384withECDSA";
            case LEAF_IS_CA -> s.ca = true;
            case VALIDITY_OUTSIDE_ISSUER -> s.notAfter = ChainGenerator.NOW.plus(Duration.ofDays(3650));
            case SHUFFLED -> { // the peer's own certificate stays first (RFC 8446 4.4.2), the CAs in any order
                List<Integer> p = new ArrayList<>(presented(c));
                Collections.shuffle(p.subList(1, p.size()), random);
                c.presented = p;
            }
            case MISSING_INTERMEDIATE -> {
                List<Integer> p = new ArrayList<>(presented(c));
                p.remove(1 + random.nextInt(p.size() - 1));
                c.presented = p;
            }
            case ROOT_INCLUDED -> {
                List<Integer> p = new ArrayList<>(presented(c));
                p.add(0);
                c.presented = p;
            }
            default -> throw new IllegalArgumentException(toString());
        }
    }

    /** The presented order: as set by an ORDER mutation, else leaf first and up to the last CA below the root. */
    static List<Integer> presented(ChainSpec c) {
        if (c.presented != null) {
            return c.presented;
        }
        List<Integer> p = new ArrayList<>();
        for (int i = c.specs.size() - 1; i >= 1; i--) {
            p.add(i);
        }
        return p;
    }

    private static GeneralSubtree[] subtrees(int type, String name) {
        return new GeneralSubtree[] {new GeneralSubtree(new GeneralName(type, name))};
    }
}
