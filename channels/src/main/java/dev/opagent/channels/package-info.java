/**
 * Provider channels and their feedback, from the providers' documented HTTP APIs over {@code
 * java.net.http}: outbound {@link dev.opagent.agent.execution.spi.ActionChannel}s for Shopify
 * (discount codes), SendGrid (e-mail) and Twilio (SMS), and inbound verifiers and parsers of their
 * webhooks that turn them into interactions and consent changes.
 */
@NullMarked
package dev.opagent.channels;

import org.jspecify.annotations.NullMarked;
