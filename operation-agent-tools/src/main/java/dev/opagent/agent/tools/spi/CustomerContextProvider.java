package dev.opagent.agent.tools.spi;

import java.util.Optional;

/**
 * Where the SDK's tools read what is true about a customer: the customer data, consent, time zone,
 * host attributes and, when the host has it, the segment analysis. The language model names a
 * customer by id and never supplies these facts, so no argument it invents can pass a guardrail (an
 * SMS without the customer's opt-in stays blocked whatever the model claims). Implementations must
 * be thread-safe; they are called on every customer tool call, including right before an execution,
 * so a consent withdrawn after planning is honoured.
 *
 * <pre>{@code
 * CustomerContextProvider provider = id -> crm.find(id).map(c -> CustomerFacts.of(c.data())
 *     .withConsents(c.optIns())
 *     .withZone(c.zone())
 *     .withAttributes(Map.of("purchase_stage", c.stage())));
 * }</pre>
 */
@FunctionalInterface
public interface CustomerContextProvider {

  /**
   * The facts about customer {@code customerId}, or empty when the host knows no such customer (the
   * tool then answers {@code NOT_FOUND} without repeating the id). The returned facts' data must be
   * of that customer. An exception is isolated like any tool failure.
   */
  Optional<CustomerFacts> find(String customerId);
}
