package io.sslkit;

/** The {@code verify} option: {@code verify_none} or {@code verify_peer}. */
public enum Verify {
    /**
     * Dangerous: accept any peer certificate, whoever signed it and whatever name it carries. Only for tests and
     * for peers authenticated some other way.
     */
    VERIFY_NONE("verify_none"),
    /** Validate the peer's chain against the trusted CAs and, on a client, the server's host name. */
    VERIFY_PEER("verify_peer");

    private final String erlangName;

    Verify(String erlangName) {
        this.erlangName = erlangName;
    }

    /** The Erlang atom. */
    public String erlangName() {
        return erlangName;
    }

    @Override
    public String toString() {
        return erlangName;
    }
}
