package dev.opagent.agent.execution.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the journal's and the operating store's tables name a customer: the customer id itself when
 * it has at most {@value #MAX} characters, else {@code #} and the SHA-256 of the id in hex, so that
 * no customer id is too long for a column or an index and one long id never fails a whole batch.
 * Thread-safe.
 */
public final class CustomerKeys {
  /** The longest customer id stored as it is. */
  public static final int MAX = 200;

  private CustomerKeys() {}

  /** The key of {@code customerId}. */
  public static String of(String customerId) {
    if (customerId.length() <= MAX) {
      return customerId;
    }
    try {
      return "#"
          + HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(customerId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
