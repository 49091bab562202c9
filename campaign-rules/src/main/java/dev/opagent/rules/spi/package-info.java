/**
 * What hosts implement: {@link dev.opagent.rules.spi.Attributes} (the attribute view a condition is
 * evaluated against), {@link dev.opagent.rules.spi.ActionTypes} (the action types a host can
 * execute, used to validate rule files) and {@link dev.opagent.rules.spi.StickyAssignmentStore}
 * (where sticky experiment assignments are kept).
 */
@NullMarked
package dev.opagent.rules.spi;

import org.jspecify.annotations.NullMarked;
