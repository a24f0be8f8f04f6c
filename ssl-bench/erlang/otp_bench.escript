#!/usr/bin/env escript
%% -*- erlang -*-
%%! +sbwt none
%%
%% Baseline 2 of the sslkit benchmarks (ssl-bench/run.sh): the same work on Erlang/OTP's own ssl application.
%%
%%   escript otp_bench.escript --certs DIR [--seconds 5] [--warmup 2] [--clients 4] [--only bulk|handshake]
%%                             [--out FILE]
%%
%% DIR holds ec.pem/ec.key/ec-ca.pem (ECDSA P-256) and rsa.pem/rsa.key/rsa-ca.pem (RSA-2048): a leaf for
%% localhost and the CA that signed it, as written by io.sslkit.bench.tools.WriteCerts (the JMH benchmarks' own).
%% Measures, one after the other:
%%   bulk:      one connection, the client sends 16 KiB binaries in a loop, the server receives with a passive
%%              ssl:recv(S, 0) loop ("recv0") or {active, once} ("once"); MB/s (10^6 bytes) over --seconds, after
%%              --warmup seconds of the same.
%%   handshake: full handshakes/s: --clients processes loop ssl:connect/close (verify_peer against the
%%              CA, {server_name_indication, disable}, no session reuse) while as many acceptor
%%              processes loop transport_accept/handshake/close: the same shape as sslkit's HandshakeBenchmark.
%% Each result is one JSON object per line, on stdout and appended to --out.
-mode(compile).

main(Args) ->
    Opts = parse(Args, #{certs => "certs", seconds => 5, warmup => 2, clients => 4, only => "all", out => none}),
    {ok, _} = application:ensure_all_started(ssl),
    {ok, SslVsn} = application:get_key(ssl, vsn),
    emit(Opts, [{bench, info}, {otp_release, erlang:system_info(otp_release)}, {ssl_vsn, SslVsn},
                {erts, erlang:system_info(version)}, {schedulers, erlang:system_info(schedulers_online)},
                {crypto, crypto_info()}]),
    Only = maps:get(only, Opts),
    [bulk(Version, Receiver, Opts) || Only =/= "handshake",
                                      Version <- ['tlsv1.3', 'tlsv1.2'], Receiver <- [recv0, once]],
    [handshake(Key, Version, Opts) || Only =/= "bulk",
                                      Key <- [ec, rsa], Version <- ['tlsv1.3', 'tlsv1.2']],
    ok.

crypto_info() ->
    case crypto:info_lib() of
        [{Name, _, Text} | _] -> iolist_to_binary([Name, " ", Text]);
        _ -> <<"unknown">>
    end.

parse(["--certs", V | T], M) -> parse(T, M#{certs => V});
parse(["--seconds", V | T], M) -> parse(T, M#{seconds => list_to_integer(V)});
parse(["--warmup", V | T], M) -> parse(T, M#{warmup => list_to_integer(V)});
parse(["--clients", V | T], M) -> parse(T, M#{clients => list_to_integer(V)});
parse(["--only", V | T], M) -> parse(T, M#{only => V});
parse(["--out", V | T], M) -> parse(T, M#{out => V});
parse([], M) -> M;
parse([X | _], _) -> io:format(standard_error, "unknown argument ~s~n", [X]), halt(2).

cert(Opts, Key) ->
    Dir = maps:get(certs, Opts),
    Name = atom_to_list(Key),
    [{certfile, filename:join(Dir, Name ++ ".pem")}, {keyfile, filename:join(Dir, Name ++ ".key")}].

ca(Opts, Key) ->
    filename:join(maps:get(certs, Opts), atom_to_list(Key) ++ "-ca.pem").

version_name('tlsv1.3') -> "TLS_V1_3";
version_name('tlsv1.2') -> "TLS_V1_2".

key_name(ec) -> "EC_P256";
key_name(rsa) -> "RSA_2048".

%% ---- bulk ----------------------------------------------------------------------------------------------------

bulk(Version, Receiver, Opts) ->
    Size = 16384,
    Counter = counters:new(1, [write_concurrency]),
    {ok, L} = ssl:listen(0, [binary, {active, false}, {reuseaddr, true}, {versions, [Version]}
                             | cert(Opts, ec)]),
    {ok, {_, Port}} = ssl:sockname(L),
    Parent = self(),
    Server = spawn_link(fun() ->
                                {ok, T} = ssl:transport_accept(L),
                                {ok, S} = ssl:handshake(T, 10000),
                                Parent ! {accepted, self()},
                                receive_loop(S, Receiver, Counter)
                        end),
    {ok, C} = ssl:connect("localhost", Port, [binary, {active, false}, {versions, [Version]},
                                               {verify, verify_peer}, {cacertfile, ca(Opts, ec)}], 10000),
    receive {accepted, Server} -> ok after 10000 -> error(accept_timeout) end,
    {ok, Info} = ssl:connection_information(C, [selected_cipher_suite]),
    Bin = binary:copy(<<16#5a>>, Size),
    Sender = spawn_link(fun() -> send_loop(C, Bin) end),
    Rate = measure(Counter, Opts),
    unlink(Sender), exit(Sender, kill),
    unlink(Server), exit(Server, kill),
    ssl:close(C), ssl:close(L),
    emit(Opts, [{bench, bulk}, {version, version_name(Version)}, {receiver, Receiver}, {writeSize, Size},
                {connections, 1}, {mbps, Rate / 1.0e6}, {cipher, suite(Info)}]).

suite(Info) ->
    case proplists:get_value(selected_cipher_suite, Info) of
        undefined -> <<"?">>;
        S -> list_to_binary(ssl:suite_to_str(S))
    end.

send_loop(C, Bin) ->
    ok = ssl:send(C, Bin),
    send_loop(C, Bin).

receive_loop(S, recv0, Counter) ->
    {ok, Data} = ssl:recv(S, 0),
    counters:add(Counter, 1, byte_size(Data)),
    receive_loop(S, recv0, Counter);
receive_loop(S, once, Counter) ->
    ok = ssl:setopts(S, [{active, once}]),
    receive
        {ssl, S, Data} -> counters:add(Counter, 1, byte_size(Data))
    end,
    receive_loop(S, once, Counter).

%% Units per second of a counter over --seconds, after --warmup.
measure(Counter, Opts) ->
    timer:sleep(1000 * maps:get(warmup, Opts)),
    T0 = erlang:monotonic_time(microsecond),
    C0 = counters:get(Counter, 1),
    timer:sleep(1000 * maps:get(seconds, Opts)),
    C1 = counters:get(Counter, 1),
    T1 = erlang:monotonic_time(microsecond),
    (C1 - C0) * 1.0e6 / (T1 - T0).

%% ---- handshakes ----------------------------------------------------------------------------------------------

handshake(Key, Version, Opts) ->
    Clients = maps:get(clients, Opts),
    Done = counters:new(2, [write_concurrency]),   % 1: handshakes, 2: errors
    {ok, L} = ssl:listen(0, [binary, {active, false}, {reuseaddr, true}, {backlog, 1024}, {versions, [Version]}
                             | no_reuse(Version) ++ cert(Opts, Key)]),
    {ok, {_, Port}} = ssl:sockname(L),
    Acceptors = [spawn(fun() -> accept_loop(L) end) || _ <- lists:seq(1, Clients)],
    ClientOpts = [binary, {active, false}, {versions, [Version]}, {verify, verify_peer}, {cacertfile, ca(Opts, Key)},
                  {server_name_indication, disable} | no_reuse(Version)],
    Workers = [spawn(fun() -> connect_loop(Port, ClientOpts, Done) end) || _ <- lists:seq(1, Clients)],
    Rate = measure(Done, Opts),
    [exit(P, kill) || P <- Workers ++ Acceptors],
    Errors = counters:get(Done, 2),
    ssl:close(L),
    timer:sleep(200),
    emit(Opts, [{bench, handshake}, {key, key_name(Key)}, {version, version_name(Version)},
                {clients, Clients}, {rate, Rate}, {errors, Errors}]).

%% TLS 1.2: no session reuse. TLS 1.3: OTP resumes only with session tickets, off by default on both sides (and
%% reuse_sessions is refused there).
no_reuse('tlsv1.2') -> [{reuse_sessions, false}];
no_reuse('tlsv1.3') -> [].

accept_loop(L) ->
    case ssl:transport_accept(L) of
        {ok, T} ->
            case ssl:handshake(T, 10000) of
                {ok, S} -> ssl:close(S);
                _ -> ok
            end,
            accept_loop(L);
        _ ->
            ok
    end.

connect_loop(Port, ClientOpts, Done) ->
    case ssl:connect("localhost", Port, ClientOpts, 10000) of
        {ok, S} ->
            ssl:close(S),
            counters:add(Done, 1, 1);
        _ ->
            counters:add(Done, 2, 1)
    end,
    connect_loop(Port, ClientOpts, Done).

%% ---- output --------------------------------------------------------------------------------------------------

emit(Opts, Pairs) ->
    Line = ["{", lists:join(",", [[json(K), ":", json(V)] || {K, V} <- Pairs]), "}\n"],
    io:put_chars(Line),
    case maps:get(out, Opts) of
        none -> ok;
        File -> ok = file:write_file(File, Line, [append])
    end.

json(A) when is_atom(A) -> json(atom_to_binary(A, utf8));
json(I) when is_integer(I) -> integer_to_list(I);
json(F) when is_float(F) -> float_to_list(F, [{decimals, 3}]);
json(L) when is_list(L) -> json(unicode:characters_to_binary(L));
json(B) when is_binary(B) -> [$", escape(B), $"].

escape(B) -> [case C of $" -> "\\\""; $\\ -> "\\\\"; _ when C < 32 -> " "; _ -> C end || <<C>> <= B].
