/**
 * The Flink job's parts that are no API: the records that flow between its operators, the customer
 * directory over keyed state, the event-time clock, the local reference agent and the resources the
 * subtasks of one process share. Never in a public signature.
 */
@NullMarked
package dev.opagent.flink.internal;

import org.jspecify.annotations.NullMarked;
