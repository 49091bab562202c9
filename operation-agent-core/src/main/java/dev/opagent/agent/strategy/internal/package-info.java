/** Implementation details of the strategy generator; never part of a public signature. */
@NullMarked
package dev.opagent.agent.strategy.internal;

import org.jspecify.annotations.NullMarked;
