package io.sslkit.netty.handler;

/**
 * User event fired by {@link ActiveModeHandler} when an {@code active} count runs out (Erlang's
 * {@code {ssl_passive, S}}): the handler is passive now, after the last message it delivered.
 */
public enum PassiveEvent {
    INSTANCE
}
