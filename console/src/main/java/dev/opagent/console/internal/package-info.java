/**
 * The console's parts behind {@link dev.opagent.console.ConsoleHandler}: sessions and form tokens,
 * the rules file, the campaign audit trail, and the views the templates render. Not an API: it may
 * change in any release.
 */
@NullMarked
package dev.opagent.console.internal;

import org.jspecify.annotations.NullMarked;
