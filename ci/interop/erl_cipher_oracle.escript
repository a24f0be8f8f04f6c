#!/usr/bin/env escript
%% The oracle for sslkit's cipher-suite helpers (CipherSuiteOracleTest): reads one case a line on stdin and
%% prints OTP 25's answer on one line, in the same order.
%%   name NAME                         -> str_to_suite(NAME) as "Kx Cipher Mac Prf Rfc OpenSsl", or "not_recognized"
%%   filter|prepend|append SUITES FILTERS
%%                                     -> {filter,prepend,append}_cipher_suites with filters, as RFC names
%%   prepend_list|append_list SUITES SUITES2
%%                                     -> {prepend,append}_cipher_suites(SUITES2, SUITES), as RFC names
%% SUITES is a comma-separated list of RFC names ("-" for none); FILTERS is "field=a/b;field=c" ("-" for none).
main(_) -> loop().

loop() ->
    case io:get_line("") of
        eof -> ok;
        Line -> io:format("~s~n", [answer(string:tokens(string:trim(Line, trailing, "\n"), " "))]), loop()
    end.

answer(["name" | Rest]) ->
    case ssl:str_to_suite(string:join(Rest, " ")) of
        #{key_exchange := K, cipher := C, mac := M, prf := P} = S ->
            io_lib:format("~s ~s ~s ~s ~s ~s", [K, C, M, P, ssl:suite_to_str(S), ssl:suite_to_openssl_str(S)]);
        {error, {not_recognized, _}} -> "not_recognized"
    end;
answer(["filter", Suites, Filters]) -> names(ssl:filter_cipher_suites(suites(Suites), filters(Filters)));
answer(["prepend", Suites, Filters]) -> names(ssl:prepend_cipher_suites(filters(Filters), suites(Suites)));
answer(["append", Suites, Filters]) -> names(ssl:append_cipher_suites(filters(Filters), suites(Suites)));
answer(["prepend_list", Suites, Suites2]) -> names(ssl:prepend_cipher_suites(suites(Suites2), suites(Suites)));
answer(["append_list", Suites, Suites2]) -> names(ssl:append_cipher_suites(suites(Suites2), suites(Suites))).

suites("-") -> [];
suites(S) -> [ssl:str_to_suite(N) || N <- string:tokens(S, ",")].

filters("-") -> [];
filters(S) ->
    [begin
         [Field, Values] = string:tokens(F, "="),
         Allowed = string:tokens(Values, "/"),
         {list_to_atom(Field), fun(A) -> lists:member(atom_to_list(A), Allowed) end}
     end || F <- string:tokens(S, ";")].

names([]) -> "-";
names(Suites) -> string:join([ssl:suite_to_str(S) || S <- Suites], ",").
