#!/usr/bin/env escript
%% -*- erlang -*-
-mode(compile).
%% Oracle for sslkit's packet decoders: erlang:decode_packet/3 driven the way ssl_gen_statem drives it
%% (get_data/3: raw hands over the whole buffer, every other type is decode_packet(Type, Buffer,
%% [{packet_size, Size}]); http/http_bin switch to headers after a request or status line and back after
%% http_eoh). Reads cases from the file named by the argument, one per line:
%%     Id Type PacketSize Chunk1Hex,Chunk2Hex,...
%% and prints one line per case: "Id Item Item ...", where an item is the hex of a byte packet, an HTTP term
%% (binaries turned into strings, printed on one line as ~p prints it), "invalid" for {error, _} (the case ends
%% there), and "rest:Hex" for the bytes left waiting for more.
main([File]) ->
    {ok, Bin} = file:read_file(File),
    Lines = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    lists:foreach(fun run/1, Lines).

run(Line) ->
    [Id, Type0, Size0 | Rest] = binary:split(Line, <<" ">>, [global]),
    Type = type(Type0),
    Size = binary_to_integer(Size0),
    Chunks = case Rest of
                 [] -> [];
                 [C] -> [unhex(H) || H <- binary:split(C, <<",">>, [global]), H =/= <<>>]
             end,
    Items = feed(Chunks, Type, Size, <<>>, []),
    io:format("~s ~s~n", [Id, lists:join(" ", Items)]).

type(<<"1">>) -> 1;
type(<<"2">>) -> 2;
type(<<"4">>) -> 4;
type(T) -> binary_to_atom(T, latin1).

feed([], _Type, _Size, Buf, Acc) ->
    lists:reverse(Acc, ["rest:" ++ hex(Buf)]);
feed([C | Cs], Type, Size, Buf0, Acc0) ->
    case drain(Type, Size, <<Buf0/binary, C/binary>>, Acc0) of
        {invalid, Acc} -> lists:reverse(Acc);
        {more, Type1, Buf, Acc} -> feed(Cs, Type1, Size, Buf, Acc)
    end.

drain(Type, _Size, <<>>, Acc) ->
    {more, Type, <<>>, Acc};
drain(raw, _Size, Buf, Acc) ->
    {more, raw, <<>>, [hex(Buf) | Acc]};
drain(Type, Size, Buf, Acc) ->
    case erlang:decode_packet(decode_type(Type), Buf, [{packet_size, Size}]) of
        {ok, P, Rest} -> drain(next_type(Type, P), Size, Rest, [item(P) | Acc]);
        {more, _} -> {more, Type, Buf, Acc};
        {error, _} -> {invalid, ["invalid" | Acc]}
    end.

decode_type({http, headers}) -> httph;
decode_type({http_bin, headers}) -> httph_bin;
decode_type(T) -> T.

next_type(T, {P, _, _, _}) when (T =:= http orelse T =:= http_bin),
                                (P =:= http_request orelse P =:= http_response) -> {T, headers};
next_type({T, headers}, http_eoh) -> T;
next_type(T, _) -> T.

item(P) when is_binary(P) -> hex(P);
item(P) -> lists:flatten(io_lib_pretty:print(strings(P), [{column, 1}, {line_length, 100000000}])).

strings(B) when is_binary(B) -> binary_to_list(B);
strings(T) when is_tuple(T) -> list_to_tuple([strings(E) || E <- tuple_to_list(T)]);
strings(T) -> T.

hex(B) -> [io_lib:format("~2.16.0b", [X]) || <<X>> <= B].

unhex(H) -> << <<(binary_to_integer(<<A, B>>, 16))>> || <<A, B>> <= H >>.
