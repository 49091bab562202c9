/**
 * Implementation details of campaign-rules: compiled condition nodes, value coercions, hashing,
 * located JSON parsing and rule-file parsing. Nothing here is API; types may change without notice
 * and never appear in a public signature.
 */
@NullMarked
package dev.opagent.rules.internal;

import org.jspecify.annotations.NullMarked;
