package dev.opagent.agent.feedback;

import java.util.Objects;

/**
 * An experiment variant of a campaign. Variants are per campaign, so "control" of one campaign is
 * not "control" of another. Immutable and thread-safe.
 *
 * @param campaign the campaign (rule id)
 * @param variant the variant name
 */
public record VariantKey(String campaign, String variant) {
  /** Checks the values. */
  public VariantKey {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(variant, "variant");
  }
}
