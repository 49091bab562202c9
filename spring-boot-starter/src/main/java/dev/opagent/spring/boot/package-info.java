/**
 * Spring Boot auto-configuration of opagent from {@code opagent.*} properties ({@link
 * dev.opagent.spring.boot.OpagentProperties}): the segment client, the campaign rules with hot
 * reload, the operating store, the decision engine, the execution service and the loop, each
 * replaced by a bean of the host's own type. The customizer interfaces adjust what is built without
 * replacing it.
 */
@NullMarked
package dev.opagent.spring.boot;

import org.jspecify.annotations.NullMarked;
