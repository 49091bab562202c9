/**
 * One runnable program per integration scenario of the segment agent's guide and the telecom
 * assistant: each has a {@code main} and a {@code run} method that returns what it found, and runs
 * on the embedded segment-agent simulator, so no AWS account is needed. See {@code
 * examples/README.md} for the list and how to run one.
 */
@NullMarked
package dev.opagent.examples;

import org.jspecify.annotations.NullMarked;
