/**
 * Implementation details of the decision engine. Nothing here appears in a public signature and
 * nothing here is supported for use outside the library.
 */
@NullMarked
package dev.opagent.agent.internal;

import org.jspecify.annotations.NullMarked;
