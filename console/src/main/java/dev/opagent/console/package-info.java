/**
 * The operations console: pages that show recent rounds, the actions of the journal and the
 * experiments, answer pending approvals and enable or disable campaigns, as one {@link
 * com.sun.net.httpserver.HttpHandler} ({@link ConsoleHandler}) a host mounts under a path of its
 * own server or, through {@link ConsoleServlet}, of its servlet container, or serves with {@link
 * ConsoleServer}.
 *
 * <p>Every page needs a login ({@link ConsoleAuthenticator}); every form carries a per-session
 * token that each POST must return; every change is recorded with who made it and when.
 */
@NullMarked
package dev.opagent.console;

import org.jspecify.annotations.NullMarked;
