/** Conversions between the AWS SDK's documents and Jackson trees; not part of the API. */
@NullMarked
package dev.opagent.converse.internal;

import org.jspecify.annotations.NullMarked;
