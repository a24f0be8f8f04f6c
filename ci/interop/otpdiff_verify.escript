#!/usr/bin/env escript
%% -*- erlang -*-
-mode(compile).
%% Oracle for sslkit's verify_fun events: an OTP client (ssl:connect/4, verify_peer) against servers the test
%% started. Reads lines "Id Port CaFile Host Depth Fun" from the file named by the argument (Fun: "default" fails
%% on {bad_cert,_}, answers unknown to extensions and valid otherwise, as OTP's default; "accept" answers valid to
%% everything) and prints per case "Id Outcome|Event;Event;...", events as "CN event" (extensions "ext:OID", "!"
%% when critical), the outcome "ok", "alert:Description" or "error:Reason".
main([File]) ->
    {ok, _} = application:ensure_all_started(ssl),
    ets:new(events, [public, named_table, ordered_set]),
    {ok, Bin} = file:read_file(File),
    Lines = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    lists:foreach(fun run/1, Lines).

run(Line) ->
    [Id, Port, Ca, Host, Depth, Fun] = [binary_to_list(F) || F <- binary:split(Line, <<" ">>, [global])],
    ets:delete_all_objects(events),
    Opts = [{verify, verify_peer}, {cacertfile, Ca}, {depth, list_to_integer(Depth)},
            {server_name_indication, Host}, {verify_fun, {verify_fun(list_to_atom(Fun)), []}},
            {versions, ['tlsv1.3', 'tlsv1.2']}],
    Outcome = case ssl:connect("localhost", list_to_integer(Port), Opts, 15000) of
                  {ok, S} -> ssl:close(S), "ok";
                  {error, {tls_alert, {A, _}}} -> "alert:" ++ atom_to_list(A);
                  {error, R} -> lists:flatten(io_lib:format("error:~w", [R]))
              end,
    Events = [E || {_, E} <- ets:tab2list(events)],
    io:format("~s ~s|~s~n", [Id, Outcome, lists:join(";", Events)]).

verify_fun(Mode) ->
    fun(Cert, Event, S) ->
            ets:insert(events, {erlang:unique_integer([monotonic]), cn(Cert) ++ " " ++ event(Event)}),
            answer(Mode, Event, S)
    end.

answer(accept, _, S) -> {valid, S};
answer(default, {bad_cert, _} = R, _) -> {fail, R};
answer(default, {extension, _}, S) -> {unknown, S};
answer(default, _, S) -> {valid, S}.

event({extension, {'Extension', Oid, Critical, _}}) ->
    "ext:" ++ lists:join(".", [integer_to_list(I) || I <- tuple_to_list(Oid)]) ++ [$! || Critical =:= true];
event({bad_cert, R}) -> lists:flatten(io_lib:format("{bad_cert,~w}", [R]));
event(E) -> lists:flatten(io_lib:format("~w", [E])).

cn(Cert) ->
    Tbs = element(2, Cert),
    {rdnSequence, Rdns} = element(7, Tbs),
    case [V || Rdn <- Rdns, {'AttributeTypeAndValue', {2, 5, 4, 3}, V} <- Rdn] of
        [V | _] -> text(V);
        [] -> "?"
    end.

text({_, V}) -> text(V);
text(V) when is_binary(V) -> binary_to_list(V);
text(V) when is_list(V) -> V.
