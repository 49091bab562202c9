/** What hosts implement for the SDK's tools: executing approved actions and reading metrics. */
@NullMarked
package dev.opagent.agent.tools.spi;

import org.jspecify.annotations.NullMarked;
