/**
 * Micrometer metrics of opagent: the segment client, the decision engine, the executor and the
 * feedback loop, bound to a {@code MeterRegistry} the host brings. Start with {@link
 * dev.opagent.micrometer.OpagentMetrics#create}.
 *
 * <p>Every tag has few values (campaign, action type, channel, outcome, reason, error code); no
 * meter carries a customer id, an idempotency key or any customer data.
 */
@NullMarked
package dev.opagent.micrometer;

import org.jspecify.annotations.NullMarked;
