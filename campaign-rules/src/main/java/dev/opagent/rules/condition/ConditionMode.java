package dev.opagent.rules.condition;

/** How a {@link ConditionCompiler} treats parts of a condition it cannot make sense of. */
public enum ConditionMode {
  /**
   * Reject unknown operators, wrong operand types, bad regular expressions, unknown saved groups,
   * attribute names starting with {@code $}, objects that mix operators with plain fields and
   * duplicate keys, each reported with its JSON pointer and line/column. The default, and the mode
   * rule files load in.
   */
  STRICT,
  /**
   * Compile whatever GrowthBook would evaluate: an unknown operator or an invalid operand never
   * matches, an unknown saved group is empty. Use for conditions authored elsewhere (GrowthBook
   * exports) that must behave exactly as there.
   */
  LENIENT
}
