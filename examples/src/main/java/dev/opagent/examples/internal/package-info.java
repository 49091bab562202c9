/**
 * Implementation details shared by the examples, the command line and the report: the one Jackson
 * configuration. Not part of what the examples show.
 */
@NullMarked
package dev.opagent.examples.internal;

import org.jspecify.annotations.NullMarked;
