#!/usr/bin/env escript
%%! -noshell
%% OTP's TLS downgrade against sslkit: an echo over TLS (as OTP's tls_api_SUITE:tls_downgrade), then
%% ssl:close(S, {self(), 10000}) and plain TCP on the same connection. Usage:
%%
%%   escript erl_downgrade_peer.escript client Port CaCertFile Version
%%   escript erl_downgrade_peer.escript server CertFile KeyFile Version   (prints "listening <Port>" first)
%%
%% TLS: the client sends "hello", the server echoes it. The peer then prints "ready" and waits for a line on stdin
%% before it downgrades. OTP reads its TCP socket ahead ({active, N} inside ssl), so a close_notify that arrived
%% before ssl:close/2 would end the connection: Erlang goes first, and sslkit downgrades once it has seen Erlang's
%% close_notify. Plain: the peer reads 21 bytes from sslkit (FirstBytes of {ok, Tcp, FirstBytes} first), then
%% sends "plain from erl client" / "plain from erl server". Prints "ok first=<N> got=<text>" (exit 0) or
%% "error <Why>" (exit 1).

main([Role | Args]) ->
    {ok, _} = application:ensure_all_started(ssl),
    Self = self(),
    spawn(fun() -> timer:sleep(30000), io:format("error timeout~n"), Self ! timeout, halt(3) end),
    try run(Role, Args) of
        {First, Got} -> io:format("ok first=~p got=~s~n", [byte_size(First), Got]), halt(0)
    catch Class:Why:Stack -> io:format("error ~p~n", [{Class, Why, hd(Stack ++ [none])}]), halt(1)
    end.

run("client", [Port, Ca, V]) ->
    {ok, S} = ssl:connect("localhost", list_to_integer(Port),
                          [{cacertfile, Ca}, {verify, verify_peer}, {versions, [list_to_atom(V)]},
                           {active, false}, {mode, binary}], 10000),
    ok = ssl:send(S, <<"hello">>),
    {ok, <<"hello">>} = ssl:recv(S, 5, 10000),
    {Tcp, First} = downgrade(S),
    Got = recv_plain(Tcp, First, 21),
    ok = gen_tcp:send(Tcp, <<"plain from erl client">>),
    {First, Got};
run("server", [Cert, Key, V]) ->
    {ok, L} = ssl:listen(0, [{certfile, Cert}, {keyfile, Key}, {versions, [list_to_atom(V)]},
                             {active, false}, {mode, binary}, {reuseaddr, true}]),
    {ok, {_, P}} = ssl:sockname(L),
    io:format("listening ~p~n", [P]),
    {ok, T} = ssl:transport_accept(L, 10000),
    {ok, S} = ssl:handshake(T, 10000),
    {ok, Hello} = ssl:recv(S, 5, 10000),
    ok = ssl:send(S, Hello),
    {Tcp, First} = downgrade(S),
    Got = recv_plain(Tcp, First, 21),
    ok = gen_tcp:send(Tcp, <<"plain from erl server">>),
    {First, Got}.

downgrade(S) ->
    io:format("ready~n"),
    _ = io:get_line(""),
    case ssl:close(S, {self(), 10000}) of
        {ok, Tcp} -> {Tcp, <<>>};
        {ok, Tcp, First} -> {Tcp, First};
        Other -> error({downgrade, Other})
    end.

recv_plain(_Tcp, Have, N) when byte_size(Have) >= N -> Have;
recv_plain(Tcp, Have, N) ->
    %% Active once, as OTP's own test: OTP 25 reads the TCP socket ahead ({active, N} inside ssl), and
    %% controlling_process moves what it had read after the close_notify into our mailbox as {tcp, Tcp, Data}
    %% messages, which gen_tcp:recv would never see.
    ok = inet:setopts(Tcp, [{active, once}]),
    receive
        {tcp, Tcp, More} -> recv_plain(Tcp, <<Have/binary, More/binary>>, N);
        {tcp_closed, Tcp} -> error({closed, Have})
    after 10000 -> error({timeout, Have})
    end.
