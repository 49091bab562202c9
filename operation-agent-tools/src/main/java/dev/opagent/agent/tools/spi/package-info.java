/**
 * What hosts implement for the SDK's tools: customer facts, executing approved actions, reading
 * metrics.
 */
@NullMarked
package dev.opagent.agent.tools.spi;

import org.jspecify.annotations.NullMarked;
