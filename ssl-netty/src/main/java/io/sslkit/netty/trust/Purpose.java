package io.sslkit.netty.trust;

/** What the peer's certificate is checked for: the extendedKeyUsage purpose, and whether a host name applies. */
public enum Purpose {
    /** A client checks a server: extendedKeyUsage must allow serverAuth; the host name is checked. */
    SERVER_AUTH("1.3.6.1.5.5.7.3.1"),
    /** A server checks a client: extendedKeyUsage must allow clientAuth. */
    CLIENT_AUTH("1.3.6.1.5.5.7.3.2");

    /** RFC 5280 4.2.1.12: anyExtendedKeyUsage allows every purpose. */
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final String oid;

    Purpose(String oid) {
        this.oid = oid;
    }

    /** The key purpose OID. */
    public String oid() {
        return oid;
    }
}
