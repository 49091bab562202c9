/** Implementation of the operating store; never part of a public signature. */
@NullMarked
package dev.opagent.store.internal;

import org.jspecify.annotations.NullMarked;
