/**
 * Customer events — a purchase, an abandoned cart, an e-mail opened, a click, a coupon used, an
 * unsubscribe, a page view — as {@link dev.opagent.agent.event.CustomerEvent}s, read one by one or
 * from JSON lines with {@link dev.opagent.agent.event.CustomerEvents}, where a bad line fails alone
 * with the field it got wrong. Events fire the event-triggered rules of {@code campaign-rules}
 * ({@link dev.opagent.rules.Trigger}).
 */
@NullMarked
package dev.opagent.agent.event;

import org.jspecify.annotations.NullMarked;
