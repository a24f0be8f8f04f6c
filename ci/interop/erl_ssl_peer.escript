#!/usr/bin/env escript
%%! -noshell
%% An Erlang/OTP ssl peer for sslkit's interop tests: an echo client or a one-connection echo server, driven by
%% arguments. Usage:
%%
%%   escript erl_ssl_peer.escript client --host H --port P [options]
%%   escript erl_ssl_peer.escript server [--port 0] [options]      (prints "listening <Port>" first)
%%
%% Options (both roles unless noted):
%%   --versions tlsv1.2,tlsv1.3     --cacertfile F  --certfile F  --keyfile F
%%   --verify verify_none|verify_peer  --fail-if-no-peer-cert (server)  --server-name NAME|disable (client)
%%   --packet raw|0|1|2|4|line      --active false|once             --alpn a,b
%%   --bytes N         client: bytes to send; server: bytes expected (needed by --half-close/--renegotiate)
%%   --half-close      client: shutdown(write) after the data, then read the rest until closed;
%%                     server: echo N bytes, then shutdown(write) (OTP 25 does not report a peer's half-close
%%                     to a socket with exit_on_close false, so the server must know N)
%%   --renegotiate     at half of the data: ssl:renegotiate/1 (TLS 1.2) or ssl:update_keys(S, write) (TLS 1.3);
%%                     client: combine with --active once (OTP 25 fails a passive recv that is pending while its
%%                     own renegotiation runs: unexpected_msg in state certify)
%%   --timeout MS      everything must be over by then (default 30000): exit status 3
%%
%% Prints one result line and exits 0 for "ok <bytes> <protocol> <cipher> [alpn=P]", 1 for "error <Reason>" (the
%% Erlang term on one line, e.g. error {tls_alert,{unknown_ca,"..."}}), 2 for bad arguments, 3 for a timeout.

main([Role | Args]) when Role =:= "client"; Role =:= "server" ->
    Opts = parse(Args, #{role => list_to_atom(Role), timeout => 30000, packet => raw, active => false,
                         bytes => 65536, half_close => false, renegotiate => false, port => 0}),
    Self = self(),
    Timeout = maps:get(timeout, Opts),
    spawn(fun() -> timer:sleep(Timeout), io:format("error timeout~n"), Self ! timeout, halt(3) end),
    {ok, _} = application:ensure_all_started(ssl),
    Result = try run(maps:get(role, Opts), Opts)
             catch Class:Reason:Stack -> {error, {Class, Reason, hd(Stack ++ [none])}}
             end,
    case Result of
        {ok, Line} -> io:format("ok ~s~n", [Line]), halt(0);
        {error, Why} -> io:format("error ~s~n", [one_line(Why)]), halt(1)
    end;
main(_) ->
    io:format(standard_error, "usage: erl_ssl_peer.escript client|server [options]~n", []),
    halt(2).

parse([], Acc) -> Acc;
parse(["--host", H | T], Acc) -> parse(T, Acc#{host => H});
parse(["--port", P | T], Acc) -> parse(T, Acc#{port => list_to_integer(P)});
parse(["--versions", V | T], Acc) -> parse(T, Acc#{versions => [list_to_atom(X) || X <- string:tokens(V, ",")]});
parse(["--cacertfile", F | T], Acc) -> parse(T, Acc#{cacertfile => F});
parse(["--certfile", F | T], Acc) -> parse(T, Acc#{certfile => F});
parse(["--keyfile", F | T], Acc) -> parse(T, Acc#{keyfile => F});
parse(["--verify", V | T], Acc) -> parse(T, Acc#{verify => list_to_atom(V)});
parse(["--fail-if-no-peer-cert" | T], Acc) -> parse(T, Acc#{fail_if_no_peer_cert => true});
parse(["--server-name", N | T], Acc) -> parse(T, Acc#{server_name => N});
parse(["--packet", "raw" | T], Acc) -> parse(T, Acc#{packet => raw});
parse(["--packet", "line" | T], Acc) -> parse(T, Acc#{packet => line});
parse(["--packet", N | T], Acc) -> parse(T, Acc#{packet => list_to_integer(N)});
parse(["--active", A | T], Acc) -> parse(T, Acc#{active => list_to_atom(A)});
parse(["--alpn", P | T], Acc) -> parse(T, Acc#{alpn => [list_to_binary(X) || X <- string:tokens(P, ",")]});
parse(["--bytes", N | T], Acc) -> parse(T, Acc#{bytes => list_to_integer(N)});
parse(["--half-close" | T], Acc) -> parse(T, Acc#{half_close => true});
parse(["--renegotiate" | T], Acc) -> parse(T, Acc#{renegotiate => true});
parse(["--timeout", MS | T], Acc) -> parse(T, Acc#{timeout => list_to_integer(MS)});
parse([Other | _], _) ->
    io:format(standard_error, "erl_ssl_peer: unknown argument ~s~n", [Other]),
    halt(2).

%% ---- options ------------------------------------------------------------------------------------------------

ssl_opts(Opts) ->
    Packet = case maps:get(packet, Opts) of raw -> 0; P -> P end,
    %% {active, once} from the start: an alert that ends the connection right after the handshake (TLS 1.3: the
    %% server rejects the client's certificate) is then an {ssl_error, S, Alert} message, not a bare closed.
    Active = case maps:get(active, Opts) of once -> once; _ -> false end,
    Base = [binary, {active, Active}, {packet, Packet}],
    Base ++ lists:flatmap(fun(K) -> opt(K, Opts) end,
                          [versions, cacertfile, certfile, keyfile, verify, fail_if_no_peer_cert, server_name, alpn]).

opt(versions, #{versions := V}) -> [{versions, V}];
opt(cacertfile, #{cacertfile := F}) -> [{cacertfile, F}];
opt(certfile, #{certfile := F}) -> [{certfile, F}];
opt(keyfile, #{keyfile := F}) -> [{keyfile, F}];
opt(verify, #{verify := V}) -> [{verify, V}];
opt(fail_if_no_peer_cert, #{fail_if_no_peer_cert := true}) -> [{fail_if_no_peer_cert, true}];
opt(server_name, #{role := client, server_name := "disable"}) -> [{server_name_indication, disable}];
opt(server_name, #{role := client, server_name := N}) -> [{server_name_indication, N}];
opt(alpn, #{role := client, alpn := P}) -> [{alpn_advertised_protocols, P}];
opt(alpn, #{role := server, alpn := P}) -> [{alpn_preferred_protocols, P}];
opt(_, _) -> [].

%% ---- client -------------------------------------------------------------------------------------------------

run(client, Opts = #{host := Host, port := Port}) ->
    case ssl:connect(Host, Port, ssl_opts(Opts), maps:get(timeout, Opts)) of
        {ok, S} -> client(S, Opts);
        {error, R} -> {error, R}
    end;
run(server, Opts) ->
    {ok, L} = ssl:listen(maps:get(port, Opts), ssl_opts(Opts) ++ [{reuseaddr, true}]),
    {ok, {_, Port}} = ssl:sockname(L),
    io:format("listening ~p~n", [Port]),
    {ok, T} = ssl:transport_accept(L),
    case ssl:handshake(T, maps:get(timeout, Opts)) of
        {ok, S} -> server(S, Opts);
        {error, R} -> {error, R}
    end.

client(S, Opts) ->
    case catch info(S) of
        Info when is_list(Info) -> client(S, Opts, Info);
        _ -> receive {ssl_error, S, R} -> {error, R} after 2000 -> {error, closed} end
    end.

client(S, Opts, Info) ->
    Data = data(Opts),
    Main = self(),
    Sender = spawn_link(fun() -> Main ! {sent, catch send_all(S, Data, Opts)} end),
    Got = recv_exactly(S, byte_size(Data), Opts, []),
    SendResult = receive {sent, R} -> R end,
    unlink(Sender),
    case {Got, SendResult} of
        {{ok, Data}, ok} ->
            End = case maps:get(half_close, Opts) of true -> expect_closed(S, Opts); false -> ok end,
            ssl:close(S),
            case End of
                ok -> {ok, io_lib:format("~p ~s", [byte_size(Data), Info])};
                Other -> {error, Other}
            end;
        {{ok, Wrong}, _} -> {error, {echo_differs, byte_size(Wrong), byte_size(Data)}};
        {{error, R2}, _} -> {error, R2};
        {_, SendError} -> {error, {send, SendError}}
    end.

send_all(S, Data, Opts) ->
    Half = byte_size(Data) div 2,
    <<First:Half/binary, Second/binary>> = Data,
    ok = send_chunks(S, First, Opts),
    ok = maybe_rekey(S, Opts),
    ok = send_chunks(S, Second, Opts),
    case maps:get(half_close, Opts) of
        true -> ssl:shutdown(S, write);
        false -> ok
    end.

send_chunks(_S, <<>>, _Opts) -> ok;
send_chunks(S, Bin, Opts) ->
    Max = case maps:get(packet, Opts) of 1 -> 255; 2 -> 65535; _ -> 16384 end,
    N = min(Max, byte_size(Bin)),
    <<Chunk:N/binary, Rest/binary>> = Bin,
    case ssl:send(S, Chunk) of
        ok -> send_chunks(S, Rest, Opts);
        Error -> Error
    end.

maybe_rekey(S, #{renegotiate := true}) ->
    case ssl:connection_information(S, [protocol]) of
        {ok, [{protocol, 'tlsv1.3'}]} -> ssl:update_keys(S, write);
        {ok, _} -> ssl:renegotiate(S)
    end;
maybe_rekey(_S, _) -> ok.

%% After our half-close the peer ends its side: nothing more may come, then closed.
expect_closed(S, Opts) ->
    case recv_one(S, Opts) of
        {error, closed} -> ok;
        {ok, Extra} -> {more_data_than_sent, byte_size(Extra)};
        {error, R} -> R
    end.

%% ---- server -------------------------------------------------------------------------------------------------

server(S, Opts = #{half_close := HalfClose, renegotiate := Renegotiate}) ->
    Info = info(S),
    ok = ssl:setopts(S, [{active, false}]), % echo/5 arms {active, once} itself
    Expect = case HalfClose orelse Renegotiate of true -> maps:get(bytes, Opts); false -> infinity end,
    ok = ssl:setopts(S, [{exit_on_close, not HalfClose}]),
    case echo(S, Opts, Expect, 0, Renegotiate) of
        {ok, N} when HalfClose ->
            ok = ssl:shutdown(S, write),
            _ = ssl:recv(S, 0, 1000), % give the client time to read our end before we close
            ssl:close(S),
            {ok, io_lib:format("~p ~s", [N, Info])};
        {ok, N} ->
            ssl:close(S),
            {ok, io_lib:format("~p ~s", [N, Info])};
        {error, R} ->
            {error, R}
    end.

%% Echoes until Expect bytes were echoed (or, with infinity, until the client closes).
echo(_S, _Opts, Expect, N, _Rekey) when is_integer(Expect), N >= Expect -> {ok, N};
echo(S, Opts, Expect, N, Rekey) ->
    case recv_one(S, Opts) of
        {ok, Data} ->
            case ssl:send(S, Data) of
                ok ->
                    N2 = N + byte_size(Data),
                    Rekey2 = case Rekey andalso N2 >= Expect div 2 of
                                 true -> ok = maybe_rekey(S, Opts), false;
                                 false -> Rekey
                             end,
                    echo(S, Opts, Expect, N2, Rekey2);
                {error, R} -> {error, {send, R}}
            end;
        {error, closed} when Expect =:= infinity -> {ok, N};
        {error, R} -> {error, R}
    end.

%% ---- receiving: passive recv or {active, once} ---------------------------------------------------------------

recv_exactly(_S, Len, _Opts, Acc) when Len =< 0 -> {ok, iolist_to_binary(lists:reverse(Acc))};
recv_exactly(S, Len, Opts, Acc) ->
    case recv_one(S, Opts) of
        {ok, Data} -> recv_exactly(S, Len - byte_size(Data), Opts, [Data | Acc]);
        {error, R} -> {error, R}
    end.

recv_one(S, #{active := once, timeout := T}) ->
    ok = case ssl:setopts(S, [{active, once}]) of ok -> ok; {error, closed} -> ok end,
    receive
        {ssl, S, Data} -> {ok, Data};
        {ssl_closed, S} -> {error, closed};
        {ssl_error, S, R} -> {error, R}
    after T -> {error, timeout}
    end;
recv_one(S, #{timeout := T}) ->
    ssl:recv(S, 0, T).

%% ---- helpers ------------------------------------------------------------------------------------------------

data(#{packet := line, bytes := N}) ->
    Lines = max(1, (N + 63) div 64),
    iolist_to_binary([[[$a + rand:uniform(26) - 1 || _ <- lists:seq(1, 63)], $\n] || _ <- lists:seq(1, Lines)]);
data(#{bytes := N}) ->
    crypto:strong_rand_bytes(N).

info(S) ->
    {ok, [{protocol, P}, {selected_cipher_suite, Suite}]} =
        ssl:connection_information(S, [protocol, selected_cipher_suite]),
    %% with {active, once} set at connect, data may already be in the mailbox: recv_one takes it from there
    Alpn = case ssl:negotiated_protocol(S) of {ok, A} -> [" alpn=", A]; _ -> "" end,
    io_lib:format("~s ~s~s", [P, ssl:suite_to_str(Suite), Alpn]).

one_line(Term) ->
    lists:flatten(string:replace(io_lib:print(Term, 1, 1000000, -1), "\n", " ", all)).
