/** A Spring Boot application on the opagent starter. */
@NullMarked
package dev.opagent.examples.boot;

import org.jspecify.annotations.NullMarked;
