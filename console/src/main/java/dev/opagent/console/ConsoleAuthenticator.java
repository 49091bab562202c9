package dev.opagent.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the name and secret an operator gives on the console's login form. The name returned is
 * the operator recorded in the audit trail for every change made in the session.
 *
 * <p>A host implements it to use its own accounts (a directory, a single sign-on gateway that has
 * already checked the user); {@link #token} and {@link #users} cover the common cases.
 * Implementations must be thread-safe, compare secrets in constant time, and never log a secret.
 */
@FunctionalInterface
public interface ConsoleAuthenticator {

  /** Names an operator may log in with: 1 to 64 letters, digits, {@code . _ @ -}. */
  Pattern OPERATOR_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  /** The shortest secret {@link #token} and {@link #users} accept. */
  int MIN_SECRET_LENGTH = 16;

  /**
   * The operator {@code user} and {@code secret} identify, or empty when they do not.
   *
   * @param user the name typed on the login form
   * @param secret the token or password typed on the login form
   */
  Optional<String> authenticate(String user, String secret);

  /**
   * One shared token: whoever gives it logs in under the name they type, which must match {@link
   * #OPERATOR_NAME}. Suits a small team that shares a console token; {@link #users} names each
   * operator's own secret.
   *
   * @param token at least {@link #MIN_SECRET_LENGTH} characters
   */
  static ConsoleAuthenticator token(String token) {
    byte[] expected = digest(checkedSecret(token, "token"));
    return (user, secret) ->
        MessageDigest.isEqual(digest(secret), expected) && OPERATOR_NAME.matcher(user).matches()
            ? Optional.of(user)
            : Optional.empty();
  }

  /**
   * One secret per operator.
   *
   * @param secrets each operator's name (matching {@link #OPERATOR_NAME}) and secret (at least
   *     {@link #MIN_SECRET_LENGTH} characters)
   */
  static ConsoleAuthenticator users(Map<String, String> secrets) {
    Map<String, byte[]> digests = new HashMap<>();
    secrets.forEach(
        (user, secret) -> {
          if (!OPERATOR_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException(
                "operator names must match " + OPERATOR_NAME.pattern());
          }
          digests.put(user, digest(checkedSecret(secret, "secret of " + user)));
        });
    if (digests.isEmpty()) {
      throw new IllegalArgumentException("at least one operator is needed");
    }
    byte[] none = digest("no operator has this name; compared so that timing does not tell");
    return (user, secret) -> {
      byte[] expected = digests.get(user);
      boolean match = MessageDigest.isEqual(digest(secret), expected == null ? none : expected);
      return match && expected != null ? Optional.of(user) : Optional.empty();
    };
  }

  private static String checkedSecret(String secret, String what) {
    Objects.requireNonNull(secret, what);
    if (secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "the " + what + " must be at least " + MIN_SECRET_LENGTH + " characters long");
    }
    return secret;
  }

  /** SHA-256 of the UTF-8 text: equal-length values for a constant-time comparison. */
  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
