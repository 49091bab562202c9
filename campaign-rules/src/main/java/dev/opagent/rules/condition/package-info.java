/**
 * The condition language: MongoDB-style conditions as GrowthBook's targeting uses them, compiled
 * once into immutable, thread-safe {@link dev.opagent.rules.condition.Condition}s.
 *
 * <p>Supported: dot paths; {@code $and $or $nor $not}; {@code $eq $ne $lt $lte $gt $gte}; {@code
 * $in $nin $ini $nini $all $alli}; {@code $elemMatch $size}; {@code $regex $regexi}; {@code $type
 * $exists}; {@code $veq $vne $vgt $vgte $vlt $vlte}; {@code $inGroup $notInGroup} with saved
 * groups. Semantics follow GrowthBook's JavaScript SDK and its cross-SDK test vectors; see {@link
 * dev.opagent.rules.condition.Condition} for the few documented differences.
 */
@NullMarked
package dev.opagent.rules.condition;

import org.jspecify.annotations.NullMarked;
