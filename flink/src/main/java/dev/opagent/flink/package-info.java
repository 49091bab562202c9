/**
 * The event-driven operation loop as an Apache Flink job: {@link dev.opagent.flink.EventJob} reads
 * customer events from files or Kafka, keeps each customer's data and consents in keyed state, asks
 * the segment agent asynchronously within its quota, decides, guards, journals and delivers against
 * the shared operating store, and delivers scheduled actions on timers at their due time. {@link
 * dev.opagent.flink.EventLoop} wires the same loop in one process.
 */
@NullMarked
package dev.opagent.flink;

import org.jspecify.annotations.NullMarked;
