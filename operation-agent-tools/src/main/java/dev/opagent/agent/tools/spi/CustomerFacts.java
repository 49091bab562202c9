package dev.opagent.agent.tools.spi;

import dev.opagent.agent.Channel;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the host knows about one customer, as a {@link CustomerContextProvider} returns it.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * CustomerFacts facts = CustomerFacts.of(data)
 *     .withConsents(List.of(Channel.EMAIL))
 *     .withZone(ZoneId.of("Europe/Istanbul"));
 * }</pre>
 *
 * @param data the customer data, in the segment agent's form
 * @param analysis the customer's segment analysis if the host keeps one (from a segment store, for
 *     instance); when null the tools ask the segment client, if one is configured
 * @param attributes host attributes that campaign rules read as {@code attributes.<name>}
 * @param consents the channels the customer opted in to; any other counts as no
 * @param zone the customer's time zone for quiet hours; null for the policy's default zone
 */
public record CustomerFacts(
    CustomerData data,
    @Nullable SegmentAnalysis analysis,
    Map<String, @Nullable Object> attributes,
    Set<Channel> consents,
    @Nullable ZoneId zone) {

  /** Checks and copies the values. */
  public CustomerFacts {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(attributes, "attributes");
    attributes =
        attributes.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    consents = Set.copyOf(consents);
  }

  /** The facts of a customer known only by its data: no analysis, attributes or consent. */
  public static CustomerFacts of(CustomerData data) {
    return new CustomerFacts(data, null, Map.of(), Set.of(), null);
  }

  /** These facts with {@code analysis}. */
  public CustomerFacts withAnalysis(@Nullable SegmentAnalysis analysis) {
    return new CustomerFacts(data, analysis, attributes, consents, zone);
  }

  /** These facts with {@code attributes} instead of the current ones. */
  public CustomerFacts withAttributes(Map<String, ?> attributes) {
    return new CustomerFacts(
        data, analysis, new LinkedHashMap<String, @Nullable Object>(attributes), consents, zone);
  }

  /** These facts with {@code consents} instead of the current ones. */
  public CustomerFacts withConsents(Collection<Channel> consents) {
    return new CustomerFacts(data, analysis, attributes, Set.copyOf(consents), zone);
  }

  /** These facts with consent for {@code channels} instead of the current ones. */
  public CustomerFacts withConsents(Channel... channels) {
    return withConsents(List.of(channels));
  }

  /** These facts with time zone {@code zone}. */
  public CustomerFacts withZone(@Nullable ZoneId zone) {
    return new CustomerFacts(data, analysis, attributes, consents, zone);
  }
}
