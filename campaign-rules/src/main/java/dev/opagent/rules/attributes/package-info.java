/**
 * Attribute views conditions are evaluated against: over a {@code Map} ({@link
 * dev.opagent.rules.attributes.MapAttributes}), over a Jackson tree ({@link
 * dev.opagent.rules.attributes.JsonNodeAttributes}), and the documented customer view ({@link
 * dev.opagent.rules.attributes.CustomerView}) built from the segment agent's wire JSON plus host
 * attributes and derived values.
 */
@NullMarked
package dev.opagent.rules.attributes;

import org.jspecify.annotations.NullMarked;
