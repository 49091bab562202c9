package dev.opagent.segment;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth access token (a JWT) for an agent runtime configured with inbound OAuth, and when it
 * expires. Its {@link #toString()} never shows the token.
 *
 * @param value the token, sent as {@code Authorization: Bearer value}
 * @param expiresAt when it stops being accepted; null when unknown (it is then used until the agent
 *     answers 401)
 */
public record BearerToken(String value, @Nullable Instant expiresAt) {

  /** Checks the value. */
  public BearerToken {
    Objects.requireNonNull(value, "value");
    if (value.isBlank() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "a bearer token must be non-blank printable ASCII without spaces");
    }
  }

  /** A token without a known expiry. */
  public static BearerToken of(String value) {
    return new BearerToken(value, null);
  }

  @Override
  public String toString() {
    return "BearerToken[expiresAt=" + expiresAt + "]";
  }
}
