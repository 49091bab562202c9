/**
 * Extension points a host may implement: {@link dev.opagent.segment.spi.SegmentClientListener} for
 * metrics and {@link dev.opagent.segment.spi.AgentTransport} to replace the AWS SDK transport (for
 * example an in-process transport in tests or benchmarks).
 */
@NullMarked
package dev.opagent.segment.spi;

import org.jspecify.annotations.NullMarked;
