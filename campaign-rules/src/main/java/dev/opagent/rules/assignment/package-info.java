/**
 * Deterministic assignment, identical to GrowthBook's across runs, machines and SDKs: FNV-1a
 * hashing ({@link dev.opagent.rules.assignment.Hashing}), bucket ranges, variation choice,
 * namespaces and equal weights ({@link dev.opagent.rules.assignment.Buckets}); on top, sticky
 * variant assignment ({@link dev.opagent.rules.assignment.VariantAssigner}) and holdouts / a global
 * control group ({@link dev.opagent.rules.assignment.Holdout}).
 */
@NullMarked
package dev.opagent.rules.assignment;

import org.jspecify.annotations.NullMarked;
