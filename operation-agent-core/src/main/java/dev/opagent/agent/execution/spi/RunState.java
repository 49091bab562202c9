package dev.opagent.agent.execution.spi;

/** Where a round of the operation loop is, as the journal records it for resumption. */
public enum RunState {
  /** Decisions are being made and journalled; a resumed round plans again (keys deduplicate). */
  PLANNING,
  /** Every chosen action is journalled; a resumed round only executes what is unfinished. */
  PLANNED,
  /** Every journalled action reached a terminal state. */
  COMPLETED
}
