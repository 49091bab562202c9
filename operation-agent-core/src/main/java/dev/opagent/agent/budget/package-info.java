/** Money budgets with reserve-then-commit accounting, per campaign and global. */
@NullMarked
package dev.opagent.agent.budget;

import org.jspecify.annotations.NullMarked;
