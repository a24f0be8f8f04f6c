package io.sslkit;

/**
 * A client's session, saved to be resumed explicitly by a later connection: OTP's {@code {reuse_sessions, save}}
 * plus {@code connection_information(S, [session_id, session_data])}, given back as
 * {@code {reuse_session, {SessionId, SessionData}}} ({@link SslOptions.Builder#reuseSession(SavedSession)}).
 *
 * <p>Opaque: it holds the engine's own session store and the key under which that engine finds the session, and
 * is only meaningful to the {@link Ssl} runtime that made it, while that runtime runs. It is not serialisable
 * (neither engine can export a session). It stays resumable as long as the session does
 * ({@code session_lifetime}) and the server accepts it.
 */
public interface SavedSession {

    /** The session id, as {@link ConnectionInfo#sessionId()} of the connection that made it reported it. */
    byte[] id();

    /** The version the session was made with: a TLS 1.2 session resumes TLS 1.2, a TLS 1.3 one TLS 1.3. */
    Protocol protocol();
}
