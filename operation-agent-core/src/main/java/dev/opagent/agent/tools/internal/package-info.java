/** Implementation details of the tool registry; never part of a public signature. */
@NullMarked
package dev.opagent.agent.tools.internal;

import org.jspecify.annotations.NullMarked;
