#!/usr/bin/env escript
%% -*- erlang -*-
-mode(compile).
%% Oracle for Ssl.formatError and Reason.toString: reads lines "Id TermText" from the file named by the argument,
%% parses TermText with erl_scan/erl_parse and prints "Id ok CanonicalHex FormatHex": the term printed on one line
%% as ~p prints it, and ssl:format_error/1 of it, both UTF-8 in hex. A text that does not parse gives
%% "Id unparseable". With the argument "posix" it prints every POSIX code inet:format_error/1 names instead.
main(["posix"]) ->
    {ok, {_, [{abstract_code, {_, AC}}]}} = beam_lib:chunks(code:which(erl_posix_msg), [abstract_code]),
    Codes = lists:usort([A || {function, _, message_1, 1, Cs} <- AC, {clause, _, [{atom, _, A}], _, _} <- Cs]),
    [io:format("~s~n", [C]) || C <- Codes];
main([File]) ->
    {ok, Bin} = file:read_file(File),
    Lines = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    lists:foreach(fun run/1, Lines).

run(Line) ->
    [Id, Text] = binary:split(Line, <<" ">>),
    io:format("~s ~s~n", [Id, answer(unicode:characters_to_list(Text))]).

answer(Text) ->
    case erl_scan:string(Text ++ ".") of
        {ok, Tokens, _} ->
            case erl_parse:parse_term(Tokens) of
                {ok, Term} ->
                    Canonical = io_lib_pretty:print(Term, [{column, 1}, {line_length, 100000000}]),
                    ["ok ", hex(Canonical), " ", hex(ssl:format_error(Term))];
                {error, _} ->
                    "unparseable"
            end;
        _ ->
            "unparseable"
    end.

hex(Chars) -> [io_lib:format("~2.16.0b", [X]) || <<X>> <= unicode:characters_to_binary(Chars)].
