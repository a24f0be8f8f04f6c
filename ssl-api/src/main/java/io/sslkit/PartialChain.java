package io.sslkit;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Erlang's {@code partial_chain} fun ({@code fun(Chain) -> {trusted_ca, DerCert} | unknown_ca}): called when the
 * peer's chain leads to no trusted certificate, it may name one certificate of the chain as the trust anchor.
 * Validation then runs from the certificate below it down to the peer. Given with
 * {@link SslOptions.Builder#partialChain(PartialChain)}.
 */
@FunctionalInterface
public interface PartialChain {

    /**
     * @param chain the peer's chain as ordered by validation: the top-most certificate first, the peer's last
     * @return the certificate to trust (it must be one of {@code chain}; any other answer counts as
     *         {@code unknown_ca}), or empty for {@code unknown_ca}
     */
    Optional<X509Certificate> trustedCa(List<X509Certificate> chain);

    /** The default: {@code unknown_ca} for every chain. */
    PartialChain UNKNOWN_CA = chain -> Optional.empty();
}
