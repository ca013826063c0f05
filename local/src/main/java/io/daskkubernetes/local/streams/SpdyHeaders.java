package io.daskkubernetes.local.streams;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * SPDY/3 header blocks: name/value pairs, zlib-compressed with the SPDY/3 dictionary, one
 * compression context per direction for the whole connection (draft-mbelshe-httpbis-spdy-00,
 * 2.6.10).
 */
final class SpdyHeaders {

    /** The dictionary of the SPDY/3 draft: header names and values that headers often contain. */
    static final byte[] DICTIONARY = dictionary();

    private final Inflater inflater = new Inflater();
    private final Deflater deflater = new Deflater();

    SpdyHeaders() {
        deflater.setDictionary(DICTIONARY);
    }

    private static byte[] dictionary() {
        String[] words = {
            "options",
            "head",
            "post",
            "put",
            "delete",
            "trace",
            "accept",
            "accept-charset",
            "accept-encoding",
            "accept-language",
            "accept-ranges",
            "age",
            "allow",
            "authorization",
            "cache-control",
            "connection",
            "content-base",
            "content-encoding",
            "content-language",
            "content-length",
            "content-location",
            "content-md5",
            "content-range",
            "content-type",
            "date",
            "etag",
            "expect",
            "expires",
            "from",
            "host",
            "if-match",
            "if-modified-since",
            "if-none-match",
            "if-range",
            "if-unmodified-since",
            "last-modified",
            "location",
            "max-forwards",
            "pragma",
            "proxy-authenticate",
            "proxy-authorization",
            "range",
            "referer",
            "retry-after",
            "server",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "user-agent",
            "vary",
            "via",
            "warning",
            "www-authenticate",
            "method",
            "get",
            "status",
            "200 OK",
            "version",
            "HTTP/1.1",
            "url",
            "public",
            "set-cookie",
            "keep-alive",
            "origin"
        };
        String tail =
                "100101201202205206300302303304305306307402405406407408409410411412413414415416417"
                        + "502504505203 Non-Authoritative Information204 No Content301 Moved"
                        + " Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not"
                        + " Found500 Internal Server Error501 Not Implemented503 Service"
                        + " UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00"
                        + " Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,"
                        + "image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
                        + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8"
                        + "charset=iso-8859-1,utf-,*,enq=0.";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String word : words) {
            byte[] bytes = word.getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        out.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Decodes one header block; names are lower case, several values are joined by NUL. */
    Map<String, String> decode(byte[] block) throws DataFormatException {
        inflater.setInput(block);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            int n = inflater.inflate(buffer);
            if (n > 0) {
                out.write(buffer, 0, n);
                continue;
            }
            if (inflater.needsDictionary()) {
                inflater.setDictionary(DICTIONARY);
                continue;
            }
            if (inflater.needsInput() || inflater.finished()) {
                break;
            }
        }
        ByteBuffer plain = ByteBuffer.wrap(out.toByteArray());
        Map<String, String> headers = new LinkedHashMap<>();
        int count = plain.getInt();
        for (int i = 0; i < count; i++) {
            String name = string(plain);
            String value = string(plain);
            headers.put(name.toLowerCase(Locale.ROOT), value);
        }
        return headers;
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Encodes a header block, flushed so that the peer can decode it at once. */
    byte[] encode(Map<String, String> headers) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plain.writeBytes(ByteBuffer.allocate(4).putInt(headers.size()).array());
        headers.forEach(
                (name, value) -> {
                    byte[] n = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                    byte[] v = value.getBytes(StandardCharsets.UTF_8);
                    plain.writeBytes(ByteBuffer.allocate(4).putInt(n.length).array());
                    plain.writeBytes(n);
                    plain.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
                    plain.writeBytes(v);
                });
        deflater.setInput(plain.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        return out.toByteArray();
    }

    void close() {
        inflater.end();
        deflater.end();
    }
}
