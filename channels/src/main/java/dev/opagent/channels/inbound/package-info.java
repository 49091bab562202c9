/**
 * Inbound provider webhooks: Shopify order webhooks, the SendGrid Event Webhook and Twilio message
 * status callbacks, each verified by the provider's documented signature scheme and turned into
 * interactions for an {@link dev.opagent.agent.feedback.InteractionRecorder} and customer events
 * (purchases, unsubscribes) for an {@link dev.opagent.agent.loop.EventProcessor}.
 *
 * <p>{@link dev.opagent.channels.inbound.FeedbackReceiver} has one plain method per provider for
 * hosts with a web framework; {@link dev.opagent.channels.inbound.WebhookServer} serves the three
 * routes on the JDK's HTTP server for hosts without one. The names the outbound channels put on
 * their messages, so that the feedback finds its action, are in {@link
 * dev.opagent.channels.inbound.WebhookParameters}.
 */
@NullMarked
package dev.opagent.channels.inbound;

import org.jspecify.annotations.NullMarked;
