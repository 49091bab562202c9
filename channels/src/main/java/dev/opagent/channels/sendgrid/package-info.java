/** The SendGrid v3 Mail Send channel: dynamic-template e-mails for {@code send_email} actions. */
@NullMarked
package dev.opagent.channels.sendgrid;

import org.jspecify.annotations.NullMarked;
