#!/usr/bin/env escript
%% -*- erlang -*-
-mode(compile).
%% Oracle for sslkit's passive recv: scripted OTP servers and an OTP client. Reads lines
%% "Id ServerScript ClientScript" from the file named by the first argument (a server script is steps joined by
%% ",": "s:Text" sends Text, "p:Ms" pauses, "c" closes; a client script: "r:N" is recv(S, N, 2000)). For each case
%% it listens on a port of its own, prints "listening Id Port", and serves every connection with the script. Then
%% it runs the OTP client of each case and prints "Id Result;Result;..." (ok:Data, closed, timeout, error:R), then
%% "done", and keeps serving until its stdin closes.
main([File, Cert, Key]) ->
    {ok, _} = application:ensure_all_started(ssl),
    {ok, Bin} = file:read_file(File),
    Cases = [binary:split(L, <<" ">>, [global]) || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    Ports = [{Id, serve(Server, Cert, Key), Client} || [Id, Server, Client] <- Cases],
    [io:format("listening ~s ~p~n", [Id, Port]) || {Id, Port, _} <- Ports],
    [io:format("~s ~s~n", [Id, client(Port, Client)]) || {Id, Port, Client} <- Ports],
    io:format("done~n"),
    io:get_line(""),
    halt(0).

serve(Script, Cert, Key) ->
    {ok, L} = ssl:listen(0, [binary, {active, false}, {certfile, Cert}, {keyfile, Key}, {reuseaddr, true}]),
    {ok, {_, Port}} = ssl:sockname(L),
    Steps = binary:split(Script, <<",">>, [global]),
    Pid = spawn(fun() -> accept(L, Steps) end),
    ok = ssl:controlling_process(L, Pid),
    Port.

accept(L, Steps) ->
    {ok, T} = ssl:transport_accept(L),
    Pid = spawn(fun() -> receive go -> handshake(T, Steps) end end),
    ok = ssl:controlling_process(T, Pid),
    Pid ! go,
    accept(L, Steps).

handshake(T, Steps) ->
    case ssl:handshake(T, 10000) of
        {ok, S} -> run(S, Steps);
        _ -> ok
    end.

run(_S, []) -> ok;
run(S, [<<"s:", Text/binary>> | Rest]) -> ok = ssl:send(S, Text), run(S, Rest);
run(S, [<<"p:", Ms/binary>> | Rest]) -> timer:sleep(binary_to_integer(Ms)), run(S, Rest);
run(S, [<<"c">> | Rest]) -> ssl:close(S), run(S, Rest).

client(Port, Script) ->
    {ok, S} = ssl:connect("localhost", Port, [binary, {active, false}, {verify, verify_none}], 10000),
    Results = [step(S, Step) || Step <- binary:split(Script, <<",">>, [global])],
    ssl:close(S),
    lists:join(";", Results).

step(S, <<"r:", N/binary>>) ->
    case ssl:recv(S, binary_to_integer(N), 2000) of
        {ok, Data} -> "ok:" ++ binary_to_list(Data);
        {error, closed} -> "closed";
        {error, timeout} -> "timeout";
        {error, R} -> lists:flatten(io_lib:format("error:~w", [R]))
    end.
