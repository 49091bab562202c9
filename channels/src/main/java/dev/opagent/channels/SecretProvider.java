package dev.opagent.channels;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where a channel gets a credential: from an environment variable by name, from a host-supplied
 * supplier (a vault client, a rotating token) or a fixed {@link Secret}. Channels ask for the
 * secret when they are built, to fail early, and again for every request, so that a rotated secret
 * is picked up without a restart. Implementations must be thread-safe and must never put the value
 * in {@link #toString()} or {@link #describe()}.
 *
 * <pre>{@code
 * SecretProvider token = SecretProvider.fromEnv("SHOPIFY_ACCESS_TOKEN");
 * SecretProvider key = SecretProvider.from(() -> vault.read("sendgrid/api-key"));
 * }</pre>
 */
@FunctionalInterface
public interface SecretProvider {

  /**
   * The secret now.
   *
   * @throws IllegalStateException when it is not available; the message says where it was looked
   *     for (an environment variable's name, never a value) and how to provide it
   */
  Secret secret();

  /** Where the secret comes from, for error messages: never the value. */
  default String describe() {
    return "a supplied secret";
  }

  /** A provider that always returns {@code secret}. */
  static SecretProvider of(Secret secret) {
    Objects.requireNonNull(secret, "secret");
    return new SecretProvider() {
      @Override
      public Secret secret() {
        return secret;
      }

      @Override
      public String toString() {
        return "SecretProvider[fixed]";
      }
    };
  }

  /**
   * A provider that asks {@code supplier} for the value on every call, for a vault or a rotating
   * token; a null or blank value is reported as unavailable.
   */
  static SecretProvider from(Supplier<@Nullable String> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return new SecretProvider() {
      @Override
      public Secret secret() {
        String v = supplier.get();
        if (v == null || v.isBlank()) {
          throw new IllegalStateException("the supplied secret is not available (null or blank)");
        }
        return Secret.of(v);
      }

      @Override
      public String toString() {
        return "SecretProvider[supplied]";
      }
    };
  }

  /** The environment variable {@code variable} of this process, read on every call. */
  static SecretProvider fromEnv(String variable) {
    return fromEnv(variable, System::getenv);
  }

  /**
   * The variable {@code variable} as {@code environment} returns it, read on every call: for a host
   * (or a test) that passes its own view of the environment.
   *
   * @throws IllegalArgumentException when the name is blank
   */
  static SecretProvider fromEnv(String variable, Function<String, @Nullable String> environment) {
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(environment, "environment");
    if (variable.isBlank()) {
      throw new IllegalArgumentException("the environment variable's name must not be blank");
    }
    return new SecretProvider() {
      @Override
      public Secret secret() {
        String v = environment.apply(variable);
        if (v == null || v.isBlank()) {
          throw new IllegalStateException(
              "environment variable " + variable + " is not set; set it to the credential");
        }
        return Secret.of(v);
      }

      @Override
      public String describe() {
        return "environment variable " + variable;
      }

      @Override
      public String toString() {
        return "SecretProvider[env " + variable + "]";
      }
    };
  }
}
