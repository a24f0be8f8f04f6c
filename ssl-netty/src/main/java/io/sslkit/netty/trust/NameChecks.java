package io.sslkit.netty.trust;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;

/**
 * The name constraints collected along a path (RFC 5280 6.1.3 (b)–(c), 6.1.4 (g)), held by BouncyCastle's
 * {@link PKIXNameConstraintValidator}: permitted subtrees are intersected, excluded ones added up.
 */
final class NameChecks {

    private static final ASN1ObjectIdentifier EMAIL = BCStyle.EmailAddress;

    private final PKIXNameConstraintValidator validator = new PKIXNameConstraintValidator();

    /** Adds the nameConstraints of a CA (or the anchor), if it has any. */
    void addConstraints(CertView ca) {
        NameConstraints nc;
        try {
            nc = ca.nameConstraints();
        } catch (IllegalArgumentException e) {
            return; // undecodable: the extension is then not understood; RFC 5280 leaves this to policy
        }
        if (nc == null) {
            return;
        }
        if (nc.getPermittedSubtrees() != null) {
            validator.intersectPermittedSubtree(nc.getPermittedSubtrees());
        }
        if (nc.getExcludedSubtrees() != null) {
            for (GeneralSubtree excluded : nc.getExcludedSubtrees()) {
                validator.addExcludedSubtree(excluded);
            }
        }
    }

    /** Whether the subject and every subjectAltName (and a subject emailAddress) lie within the constraints. */
    boolean permits(CertView c) {
        try {
            X500Name subject = c.subjectName();
            validator.checkPermittedDN(subject);
            validator.checkExcludedDN(subject);
            for (GeneralName name : c.subjectAltNames()) {
                validator.checkPermitted(name);
                validator.checkExcluded(name);
            }
            // RFC 5280 4.2.1.10: an emailAddress in the subject is constrained as an rfc822Name.
            for (RDN rdn : subject.getRDNs(EMAIL)) {
                for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                    GeneralName email = new GeneralName(GeneralName.rfc822Name,
                            IETFUtils.valueToString(atv.getValue()));
                    validator.checkPermitted(email);
                    validator.checkExcluded(email);
                }
            }
            return true;
        } catch (NameConstraintValidatorException | IllegalArgumentException e) {
            return false;
        }
    }
}
