/** Implementation details; nothing here is part of the public API and it may change at any time. */
@NullMarked
package dev.opagent.segment.internal;

import org.jspecify.annotations.NullMarked;
