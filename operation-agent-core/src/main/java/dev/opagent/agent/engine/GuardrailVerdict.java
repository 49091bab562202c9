package dev.opagent.agent.engine;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One guardrail's verdict on one candidate action. Immutable and thread-safe.
 *
 * @param guardrail which check
 * @param kind allow, block or defer
 * @param reason why, as a stable code
 * @param message a short human explanation; never contains personal data
 * @param until for {@link VerdictKind#DEFER}, the earliest instant the action may pass; null
 *     otherwise
 */
public record GuardrailVerdict(
    Guardrail guardrail,
    VerdictKind kind,
    ReasonCode reason,
    String message,
    @Nullable Instant until) {

  private static final GuardrailVerdict[] PASSED = new GuardrailVerdict[Guardrail.values().length];

  static {
    for (Guardrail g : Guardrail.values()) {
      PASSED[g.ordinal()] =
          new GuardrailVerdict(g, VerdictKind.ALLOW, ReasonCode.PASSED, "passed", null);
    }
  }

  public GuardrailVerdict {
    Objects.requireNonNull(guardrail, "guardrail");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    if (kind == VerdictKind.DEFER && until == null) {
      throw new IllegalArgumentException("a DEFER verdict needs an until instant");
    }
    if (kind != VerdictKind.DEFER && until != null) {
      throw new IllegalArgumentException("only a DEFER verdict has an until instant");
    }
  }

  /** The shared verdict "passed" of {@code guardrail}. */
  public static GuardrailVerdict passed(Guardrail guardrail) {
    return PASSED[guardrail.ordinal()];
  }

  /** An allowing verdict with a reason other than {@link ReasonCode#PASSED}. */
  public static GuardrailVerdict allow(Guardrail guardrail, ReasonCode reason, String message) {
    return new GuardrailVerdict(guardrail, VerdictKind.ALLOW, reason, message, null);
  }

  /** A blocking verdict. */
  public static GuardrailVerdict block(Guardrail guardrail, ReasonCode reason, String message) {
    return new GuardrailVerdict(guardrail, VerdictKind.BLOCK, reason, message, null);
  }

  /** A deferring verdict. */
  public static GuardrailVerdict defer(
      Guardrail guardrail, ReasonCode reason, String message, Instant until) {
    return new GuardrailVerdict(guardrail, VerdictKind.DEFER, reason, message, until);
  }

  /** Whether the action may go ahead as far as this guardrail is concerned. */
  public boolean allows() {
    return kind == VerdictKind.ALLOW;
  }
}
