package io.daskkubernetes.ui;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may use the console: whoever holds the one-time token printed in its URL. The first request
 * with {@code ?token=} gets it as an HttpOnly, SameSite=Strict cookie; API clients may send it as
 * {@code Authorization: Bearer}. Writes additionally need the CSRF secret that only the console's
 * own pages read (from {@code /api/session}) in a header that a cross-site form cannot set, and an
 * {@code Origin}, when the browser sends one, of this very console.
 */
final class ConsoleAccess {

    static final String COOKIE = "dask_console";
    static final String CSRF_HEADER = "X-Dask-Console-CSRF";

    private final String token;
    private final String csrf;

    ConsoleAccess(SecureRandom random) {
        this.token = secret(random);
        this.csrf = secret(random);
    }

    String token() {
        return token;
    }

    String csrf() {
        return csrf;
    }

    /** The token from the query string, if the request carries one. */
    static Optional<String> tokenInQuery(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                return Optional.of(pair.substring("token=".length()));
            }
        }
        return Optional.empty();
    }

    boolean validToken(String candidate) {
        return candidate != null && same(candidate, token);
    }

    /** Whether the request carries the token as the cookie, a bearer header or in its query. */
    boolean authenticated(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return validToken(authorization.substring("Bearer ".length()).strip());
        }
        for (String header :
                exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String cookie : header.split(";")) {
                String c = cookie.strip();
                if (c.startsWith(COOKIE + "=") && validToken(c.substring(COOKIE.length() + 1))) {
                    return true;
                }
            }
        }
        return tokenInQuery(exchange.getRequestURI()).map(this::validToken).orElse(false);
    }

    /**
     * Why a write must be refused as a possible cross-site request, or empty when it carries the
     * CSRF secret and comes from this console's own origin.
     */
    Optional<String> forgeryProblem(HttpExchange exchange) {
        String sent = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        if (sent == null || !same(sent, csrf)) {
            return Optional.of("missing or wrong " + CSRF_HEADER + " header");
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin != null && !origin.equals("http://" + host)) {
            return Optional.of("Origin " + origin + " is not this console (http://" + host + ")");
        }
        return Optional.empty();
    }

    String sessionCookie() {
        return COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String secret(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
