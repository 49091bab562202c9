/** Implementation details of the testkit; nothing here is part of the public API. */
@NullMarked
package dev.opagent.testkit.internal;

import org.jspecify.annotations.NullMarked;
