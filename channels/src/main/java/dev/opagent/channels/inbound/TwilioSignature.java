package dev.opagent.channels.inbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Twilio's request signature: the {@value #HEADER} header is the base64 of the HMAC-SHA1, keyed
 * with the account's auth token, of the full URL Twilio requested (scheme, host, path and query)
 * followed by the POST parameters sorted by name, each name followed by its value, without
 * separators. Compared in constant time; as Twilio's own libraries do, the URL is also tried with
 * its scheme's default port added or removed. Stateless.
 */
public final class TwilioSignature {
  /** The header that carries the signature. */
  public static final String HEADER = "X-Twilio-Signature";

  private TwilioSignature() {}

  /** The signature Twilio sends for a POST of {@code params} to {@code url}. */
  public static String sign(String authToken, String url, Map<String, String> params) {
    List<Http.Param> list = new ArrayList<>();
    params.forEach((k, v) -> list.add(new Http.Param(k, v)));
    return sign(authToken, url, list);
  }

  static String sign(String authToken, String url, List<Http.Param> params) {
    List<Http.Param> sorted = new ArrayList<>(params);
    sorted.sort(Comparator.comparing(Http.Param::name).thenComparing(Http.Param::value));
    StringBuilder data = new StringBuilder(url);
    for (Http.Param p : sorted) {
      data.append(p.name()).append(p.value());
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }

  /**
   * Checks the signature of a POST of {@code params} to {@code url}.
   *
   * @param url the URL as Twilio requested it, with its query
   * @param signature the {@value #HEADER} header; null when absent
   * @throws WebhookException 401 when the header is absent or does not match
   */
  public static void verify(
      String authToken, String url, Map<String, String> params, @Nullable String signature) {
    List<Http.Param> list = new ArrayList<>();
    params.forEach((k, v) -> list.add(new Http.Param(k, v)));
    verify(authToken, url, list, signature);
  }

  static void verify(
      String authToken, String url, List<Http.Param> params, @Nullable String signature) {
    Objects.requireNonNull(authToken, "authToken");
    Objects.requireNonNull(url, "url");
    if (signature == null || signature.isBlank()) {
      throw WebhookException.unauthorized(HEADER, "is required");
    }
    byte[] given = signature.trim().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (String candidate : candidates(url)) {
      byte[] expected = sign(authToken, candidate, params).getBytes(StandardCharsets.UTF_8);
      match |= MessageDigest.isEqual(expected, given);
    }
    if (!match) {
      throw WebhookException.unauthorized(HEADER, "does not match the URL and parameters");
    }
  }

  /** The URL, and the URL with its scheme's default port added or removed. */
  private static Set<String> candidates(String url) {
    Set<String> out = new LinkedHashSet<>();
    out.add(url);
    try {
      URI u = new URI(url);
      String scheme = u.getScheme();
      if (u.getHost() == null || scheme == null) {
        return out;
      }
      int standard =
          "https".equalsIgnoreCase(scheme) ? 443 : "http".equalsIgnoreCase(scheme) ? 80 : -1;
      if (standard < 0) {
        return out;
      }
      String rest = u.getRawPath() == null ? "" : u.getRawPath();
      if (u.getRawQuery() != null) {
        rest += "?" + u.getRawQuery();
      }
      String userInfo = u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@";
      String base = scheme + "://" + userInfo + u.getHost();
      if (u.getPort() == standard) {
        out.add(base + rest);
      } else if (u.getPort() < 0) {
        out.add(base + ":" + standard + rest);
      }
    } catch (URISyntaxException e) {
      // the URL as given is the only candidate
    }
    return out;
  }
}
