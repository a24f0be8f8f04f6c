package io.sslkit;

/**
 * How cipher suites are named ({@code ssl:cipher_suites/1,3}): {@link #ERLANG} as OTP's map
 * {@code #{key_exchange => ecdhe_rsa, cipher => aes_128_gcm, mac => aead, prf => sha256}}, {@link #OPENSSL} as
 * OpenSSL's {@code ECDHE-RSA-AES128-GCM-SHA256}, {@link #IANA} as RFC/IANA's (and Java's)
 * {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}.
 */
public enum Format {
    ERLANG,
    OPENSSL,
    IANA
}
