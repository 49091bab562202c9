package dev.opagent.channels.inbound;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Headers by name in any case, and form-encoded parameters. Stateless. */
final class Http {
  private Http() {}

  /** The first value of the header {@code name} in any case; null when absent. */
  static @Nullable String header(Map<String, ? extends List<String>> headers, String name) {
    for (Map.Entry<String, ? extends List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
        List<String> values = e.getValue();
        if (values != null && !values.isEmpty() && values.get(0) != null) {
          return values.get(0);
        }
      }
    }
    return null;
  }

  /** A name and a value of {@code application/x-www-form-urlencoded} text. */
  record Param(String name, String value) {}

  /**
   * The parameters of form-encoded text (a POST body or a URL's raw query), in their order, decoded
   * as UTF-8 ({@code +} is a space).
   *
   * @throws WebhookException 400 naming {@code where} when an escape is malformed
   */
  static List<Param> form(@Nullable String text, String where) {
    List<Param> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.add(
            new Param(
                URLDecoder.decode(name, StandardCharsets.UTF_8),
                URLDecoder.decode(value, StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        throw WebhookException.badRequest(where, "is not valid form encoding");
      }
    }
    return out;
  }

  /** The first value of {@code name} among {@code params}; null when absent. */
  static @Nullable String first(List<Param> params, String name) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        return p.value();
      }
    }
    return null;
  }
}
