package dev.opagent.channels;

import java.util.Objects;

/**
 * A credential (an access token, an API key, an auth token) that never shows itself: {@link
 * #toString()}, {@link #equals} and {@link #hashCode} do not depend on or reveal the value, so a
 * secret that ends up in a log line or an exception message prints as {@code Secret[****]}. Only
 * {@link #reveal()} returns the value, for the one header that carries it. Immutable and
 * thread-safe.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * A secret holding {@code value}.
   *
   * @throws IllegalArgumentException when it is empty or blank (the message does not repeat it)
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a secret must not be blank");
    }
    return new Secret(value);
  }

  /** The value, for the request header that carries it; never log or print it. */
  public String reveal() {
    return value;
  }

  /** Always {@code Secret[****]}: the value is never shown. */
  @Override
  public String toString() {
    return "Secret[****]";
  }
}
