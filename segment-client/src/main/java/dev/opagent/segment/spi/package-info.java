/**
 * The transport SPI: implement {@link dev.opagent.segment.spi.AgentTransport} to replace the AWS
 * SDK transport (for example an in-process transport in tests or benchmarks). Nothing here depends
 * on a type of {@code dev.opagent.segment}; the callbacks about segments and errors ({@link
 * dev.opagent.segment.SegmentClientListener}, {@link dev.opagent.segment.LocalSegmenter}) live in
 * that package.
 */
@NullMarked
package dev.opagent.segment.spi;

import org.jspecify.annotations.NullMarked;
