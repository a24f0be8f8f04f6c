package io.sslkit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Erlang terms that reasons carry, read from their text and printed as OTP prints them: on one line, as
 * {@code io_lib:format("~p", [Term])} does when the term fits the line (a list of printable Latin-1 codes as a
 * string, a printable binary as {@code <<"...">>}, atoms quoted only where needed). Covers the terms reasons hold:
 * atoms, integers, strings, binaries, tuples and proper lists; anything else (variables, floats, funs, pids) does
 * not parse, and such text is printed as an Erlang string instead, so every reason still prints as a term.
 */
final class ErlangTerms {

    /** Words {@code erl_scan} reserves: as atoms they are quoted. */
    private static final Set<String> RESERVED = Set.of("after", "and", "andalso", "band", "begin", "bnot", "bor",
            "bsl", "bsr", "bxor", "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or",
            "orelse", "receive", "rem", "try", "when", "xor");

    /** A parsed term. Strings are lists of integers, as in Erlang. */
    sealed interface Term permits Atom, Int, Tuple, ErlList, Binary {
    }

    record Atom(String name) implements Term {
    }

    record Int(BigInteger value) implements Term {
    }

    record Tuple(List<Term> elements) implements Term {
    }

    record ErlList(List<Term> elements) implements Term {
    }

    record Binary(byte[] bytes) implements Term {
    }

    private ErlangTerms() {
    }

    /** {@code text} as OTP's {@code ~p} prints the term it stands for, or as an Erlang string if it is no term. */
    static String print(String text) {
        return parse(text).map(ErlangTerms::print).orElseGet(() -> string(text));
    }

    /** The term printed as {@code ~p} prints it on one line. */
    static String print(Term t) {
        StringBuilder out = new StringBuilder();
        print(t, out);
        return out.toString();
    }

    /** {@code s} as an Erlang string literal ({@code []} when empty, a list of codes when not printable). */
    static String string(String s) {
        List<Term> codes = new ArrayList<>(s.length());
        s.codePoints().forEach(c -> codes.add(new Int(BigInteger.valueOf(c))));
        return print(new ErlList(codes));
    }

    /** {@code s} as a quoted atom where Erlang needs the quotes. */
    static String atom(String s) {
        return print(new Atom(s));
    }

    /** The term {@code text} stands for, if it is one this class reads. */
    static Optional<Term> parse(String text) {
        try {
            Parser p = new Parser(text);
            Term t = p.term();
            p.skipSpace();
            return p.pos == text.length() ? Optional.of(t) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static void print(Term t, StringBuilder out) {
        if (t instanceof Atom a) {
            printAtom(a.name(), out);
        } else if (t instanceof Int i) {
            out.append(i.value());
        } else if (t instanceof Tuple tu) {
            printAll('{', tu.elements(), '}', out);
        } else if (t instanceof ErlList l) {
            if (l.elements().isEmpty()) {
                out.append("[]");
            } else if (printable(l.elements())) {
                quoted(l.elements().stream().mapToInt(e -> ((Int) e).value().intValue()).toArray(), '"', out);
            } else {
                printAll('[', l.elements(), ']', out);
            }
        } else if (t instanceof Binary b) {
            printBinary(b.bytes(), out);
        }
    }

    private static void printAll(char open, List<Term> elements, char close, StringBuilder out) {
        out.append(open);
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            print(elements.get(i), out);
        }
        out.append(close);
    }

    private static void printBinary(byte[] b, StringBuilder out) {
        int[] codes = new int[b.length];
        boolean printable = b.length > 0;
        for (int i = 0; i < b.length; i++) {
            codes[i] = b[i] & 0xff;
            printable &= printableCode(codes[i]);
        }
        out.append("<<");
        if (printable) {
            quoted(codes, '"', out);
        } else {
            for (int i = 0; i < codes.length; i++) {
                out.append(i == 0 ? "" : ",").append(codes[i]);
            }
        }
        out.append(">>");
    }

    /** io_lib:printable_latin1_list/1. */
    private static boolean printable(List<Term> elements) {
        for (Term e : elements) {
            if (!(e instanceof Int i) || i.value().bitLength() > 16 || !printableCode(i.value().intValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean printableCode(int c) {
        return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || c == '\n' || c == '\r' || c == '\t'
                || c == 0x0B || c == '\b' || c == '\f' || c == 0x1B;
    }

    private static void quoted(int[] codes, char quote, StringBuilder out) {
        out.append(quote);
        for (int c : codes) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0B -> out.append("\\v");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x1B -> out.append("\\e");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c == quote) {
                        out.append('\\');
                    }
                    out.appendCodePoint(c);
                }
            }
        }
        out.append(quote);
    }

    private static void printAtom(String name, StringBuilder out) {
        boolean bare = !name.isEmpty() && lowerStart(name.charAt(0)) && !RESERVED.contains(name);
        for (int i = 1; bare && i < name.length(); i++) {
            char c = name.charAt(i);
            bare = lowerStart(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@'
                    || (c >= 192 && c <= 222 && c != 215);
        }
        if (bare) {
            out.append(name);
        } else {
            quoted(name.codePoints().toArray(), '\'', out);
        }
    }

    private static boolean lowerStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 223 && c <= 255 && c != 247);
    }

    /** A recursive-descent reader of the subset above. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        Term term() {
            skipSpace();
            char c = s.charAt(pos);
            if (c == '{') {
                pos++;
                return new Tuple(sequence('}'));
            } else if (c == '[') {
                pos++;
                return new ErlList(sequence(']'));
            } else if (c == '"') {
                return new ErlList(codes(quotedText('"')));
            } else if (c == '\'') {
                return new Atom(codesToString(quotedText('\'')));
            } else if (s.startsWith("<<", pos)) {
                pos += 2;
                return binary();
            } else if (c == '-' || Character.isDigit(c)) {
                return integer();
            } else if (lowerStart(c)) {
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
                        || s.charAt(pos) == '@')) {
                    pos++;
                }
                return new Atom(s.substring(start, pos));
            }
            throw new IllegalArgumentException("not a term at " + pos);
        }

        private List<Term> sequence(char close) {
            List<Term> out = new ArrayList<>();
            skipSpace();
            if (s.charAt(pos) == close) {
                pos++;
                return out;
            }
            while (true) {
                out.add(term());
                skipSpace();
                char c = s.charAt(pos++);
                if (c == close) {
                    return out;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or " + close);
                }
            }
        }

        private Term binary() {
            skipSpace();
            List<Integer> bytes = new ArrayList<>();
            if (!s.startsWith(">>", pos)) {
                while (true) {
                    skipSpace();
                    if (s.charAt(pos) == '"') {
                        for (int c : quotedText('"')) {
                            bytes.add(c);
                        }
                    } else {
                        bytes.add(((Int) integer()).value().intValueExact());
                    }
                    skipSpace();
                    if (s.charAt(pos) != ',') {
                        break;
                    }
                    pos++;
                }
            }
            if (!s.startsWith(">>", pos)) {
                throw new IllegalArgumentException("expected >>");
            }
            pos += 2;
            byte[] b = new byte[bytes.size()];
            for (int i = 0; i < b.length; i++) {
                int v = bytes.get(i);
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("not a byte: " + v);
                }
                b[i] = (byte) v;
            }
            return new Binary(b);
        }

        private Term integer() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == '#')) {
                throw new IllegalArgumentException("floats and based integers are not read");
            }
            return new Int(new BigInteger(s.substring(start, pos)));
        }

        private int[] quotedText(char quote) {
            pos++;
            StringBuilder out = new StringBuilder();
            while (s.charAt(pos) != quote) {
                char c = s.charAt(pos++);
                if (c == '\\') {
                    char e = s.charAt(pos++);
                    out.append(switch (e) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'v' -> (char) 0x0B;
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case 'e' -> (char) 0x1B;
                        case 's' -> ' ';
                        case 'd' -> (char) 0x7F;
                        default -> {
                            if (Character.isDigit(e) || e == 'x' || e == '^') {
                                throw new IllegalArgumentException("escape not read: \\" + e);
                            }
                            yield e;
                        }
                    });
                } else {
                    out.append(c);
                }
            }
            pos++;
            return out.codePoints().toArray();
        }

        private static List<Term> codes(int[] cs) {
            List<Term> out = new ArrayList<>(cs.length);
            for (int c : cs) {
                out.add(new Int(BigInteger.valueOf(c)));
            }
            return out;
        }

        private static String codesToString(int[] cs) {
            return new String(cs, 0, cs.length);
        }
    }
}
