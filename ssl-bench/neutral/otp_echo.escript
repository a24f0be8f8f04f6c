#!/usr/bin/env escript
%% -*- erlang -*-
%%! +sbwt none
%% The Erlang/OTP baseline of ssl-bench/neutral.sh: an ssl echo server on 127.0.0.1.
%%
%%   escript otp_echo.escript PORT CERTFILE KEYFILE [ACCEPTORS]
%%
%% A pool of acceptors (default 16), each: ssl:transport_accept, ssl:handshake, then a process echoing the
%% connection in passive mode while the acceptor goes back to accepting. TLS 1.2 and 1.3, session reuse on
%% (TLS 1.2 session ids; TLS 1.3 stateless tickets), no client certificate. Prints "listening PORT" and runs
%% until killed (neutral.sh starts it under `timeout`).

main([Port, Cert, Key]) -> main([Port, Cert, Key, "16"]);
main([Port, Cert, Key, Acceptors]) ->
    ok = ssl:start(),
    Opts = [binary, {active, false}, {ip, {127,0,0,1}}, {reuseaddr, true}, {backlog, 1024},
            {nodelay, true}, {certfile, Cert}, {keyfile, Key},
            {versions, ['tlsv1.3', 'tlsv1.2']}, {verify, verify_none},
            {session_tickets, stateless}, {reuse_sessions, true}],
    {ok, L} = ssl:listen(list_to_integer(Port), Opts),
    {ok, {_, Bound}} = ssl:sockname(L),
    io:format("listening ~p~n", [Bound]),
    [spawn(fun() -> acceptor(L) end) || _ <- lists:seq(1, list_to_integer(Acceptors))],
    receive after infinity -> ok end.

acceptor(L) ->
    case ssl:transport_accept(L) of
        {ok, T} ->
            case ssl:handshake(T, 10000) of
                {ok, S} ->
                    Pid = spawn(fun() -> receive go -> echo(S) end end),
                    case ssl:controlling_process(S, Pid) of
                        ok -> Pid ! go;
                        _ -> ssl:close(S)
                    end;
                _ ->
                    ok
            end,
            acceptor(L);
        {error, closed} ->
            ok;
        {error, _} ->
            acceptor(L)
    end.

echo(S) ->
    case ssl:recv(S, 0) of
        {ok, Data} ->
            case ssl:send(S, Data) of
                ok -> echo(S);
                _ -> ssl:close(S)
            end;
        _ ->
            ssl:close(S)
    end.
