package dev.opagent.agent.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes an argument record or one of its components for the model: it becomes the {@code
 * description} of the generated JSON Schema. Thread-safe (an annotation).
 *
 * <pre>{@code
 * record LookupArgs(@Description("The customer's id, e.g. C-1001") String customerId) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Description {

  /** The description. */
  String value();
}
