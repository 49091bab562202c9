/**
 * Actuator support: the {@code opagent} health indicator (the segment agent's circuit and the
 * operating store) and the {@code opagentapprovals} endpoint that lists, approves and rejects
 * pending approval requests.
 */
@NullMarked
package dev.opagent.spring.boot.actuate;

import org.jspecify.annotations.NullMarked;
