package io.sslkit;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Data received with {@code {mode, binary}, {header, N}}: the first N bytes as numbers, the rest as bytes —
 * Erlang's {@code [B1, B2 | Bin]}.
 *
 * @param header the first N bytes (fewer if the message is shorter), each 0..255
 * @param rest   the remaining bytes
 */
public record HeaderData(List<Integer> header, byte[] rest) {

    public HeaderData {
        header = List.copyOf(header);
        rest = rest.clone();
    }

    @Override
    public byte[] rest() {
        return rest.clone();
    }

    /** All the bytes, header first. */
    public byte[] bytes() {
        byte[] out = new byte[header.size() + rest.length];
        for (int i = 0; i < header.size(); i++) {
            out[i] = (byte) (int) header.get(i);
        }
        System.arraycopy(rest, 0, out, header.size(), rest.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderData h && h.header.equals(header) && Arrays.equals(h.rest, rest);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(rest);
    }

    /** As Erlang prints it: {@code [1,2|<<3,4,5>>]}. */
    @Override
    public String toString() {
        String bin = rest.length > 32 ? rest.length + " bytes" : java.util.stream.IntStream.range(0, rest.length)
                .mapToObj(i -> Integer.toString(rest[i] & 0xff)).collect(Collectors.joining(","));
        return "[" + header.stream().map(String::valueOf).collect(Collectors.joining(",")) + "|<<" + bin + ">>]";
    }
}
