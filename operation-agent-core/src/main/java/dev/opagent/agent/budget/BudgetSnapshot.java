package dev.opagent.agent.budget;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The state of one budget at one moment. Immutable and thread-safe.
 *
 * @param limit the limit, or null when unlimited
 * @param reserved set aside for actions not yet settled
 * @param committed spent
 * @param available {@code limit − reserved − committed} (never negative), or null when unlimited
 */
public record BudgetSnapshot(
    @Nullable BigDecimal limit,
    BigDecimal reserved,
    BigDecimal committed,
    @Nullable BigDecimal available) {}
