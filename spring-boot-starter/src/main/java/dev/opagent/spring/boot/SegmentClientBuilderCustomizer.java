package dev.opagent.spring.boot;

import dev.opagent.segment.SegmentClientBuilder;

/**
 * Adjusts the {@link SegmentClientBuilder} of the auto-configured {@code SegmentClient} after the
 * {@code opagent.agent.*} properties are applied and before it is built: a fallback segmenter, a
 * listener, credentials. Beans of this type are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface SegmentClientBuilderCustomizer {

  /** Adjusts {@code builder}. */
  void customize(SegmentClientBuilder builder);
}
