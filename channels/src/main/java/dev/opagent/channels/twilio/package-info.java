/** The Twilio Messages channel: SMS for {@code send_sms} actions. */
@NullMarked
package dev.opagent.channels.twilio;

import org.jspecify.annotations.NullMarked;
