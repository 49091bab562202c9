package dev.opagent.rules;

import dev.opagent.rules.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An immutable, validated set of campaign rules, ordered by priority (highest first, then id).
 * Thread-safe: share it freely; to change rules, load a new set (see {@link RuleSetHolder}).
 *
 * <p>Evaluations through a rule set share work: each rule's eligible verdict, and up to 1,024
 * explanations per rule of a failed condition, keyed by the values it read. Only numbers, booleans,
 * nulls and segment labels ({@code segments.} paths) are kept this way, never other strings such as
 * names or e-mail addresses; they live as long as the rule set.
 *
 * <pre>{@code
 * RuleSet rules = RuleSetLoader.ofDefaults().load(RuleSource.file(Path.of("campaigns.json")));
 * rules.rule("winback").ifPresent(r -> System.out.println(r.name()));
 * }</pre>
 */
public final class RuleSet {
  /** Orders rules by priority, highest first, then by id. */
  public static final Comparator<Rule> PRIORITY_ORDER =
      Comparator.comparingInt(Rule::priority).reversed().thenComparing(Rule::id);

  private final String name;
  private final String source;
  private final String checksum;
  private final List<Rule> rules;
  private final Map<String, Rule> byId;
  private final List<Problem> warnings;

  /** Per rule, index-aligned with {@link #rules}: what its evaluations share. */
  private final VerdictMemo[] memos;

  RuleSet(String name, String source, String checksum, List<Rule> rules, List<Problem> warnings) {
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort(PRIORITY_ORDER);
    Map<String, Rule> index = new HashMap<>();
    for (Rule r : sorted) {
      if (index.put(r.id(), r) != null) {
        throw new IllegalArgumentException("duplicate rule id '" + r.id() + "'");
      }
    }
    this.name = name;
    this.source = source;
    this.checksum = checksum;
    this.rules = List.copyOf(sorted);
    this.byId = Map.copyOf(index);
    this.warnings = List.copyOf(warnings);
    this.memos = new VerdictMemo[this.rules.size()];
    for (int i = 0; i < memos.length; i++) {
      memos[i] = new VerdictMemo(this.rules.get(i));
    }
  }

  /** What evaluations of each rule share, by priority as {@link #rules()}. */
  VerdictMemo[] memos() {
    return memos;
  }

  /**
   * A rule set built in code. Its checksum covers each rule's id, version, condition, actions,
   * priority, enablement, window, tags and holdout.
   *
   * @throws IllegalArgumentException if two rules share an id
   */
  public static RuleSet of(String name, List<Rule> rules) {
    String canonical =
        rules.stream()
            .sorted(Comparator.comparing(Rule::id))
            .map(
                r ->
                    String.join(
                        "\u0000",
                        r.id(),
                        String.valueOf(r.version()),
                        r.condition().source().toString(),
                        r.actions().toString(),
                        String.valueOf(r.priority()),
                        String.valueOf(r.enabled()),
                        r.validity().toString(),
                        r.tags().toString(),
                        r.holdout().toString(),
                        r.name(),
                        r.description()))
            .collect(Collectors.joining("\u0001"));
    return new RuleSet(name, "code:" + name, sha256(canonical), rules, List.of());
  }

  /** The rule set's name (from the file's {@code name}, else the source). */
  public String name() {
    return name;
  }

  /** Where the rules came from ({@code file:/…}, {@code classpath:…}, {@code string:…}). */
  public String source() {
    return source;
  }

  /** {@code sha256:<hex>} of the source text; equal checksums mean identical content. */
  public String checksum() {
    return checksum;
  }

  /** Rules by priority, highest first, then by id. */
  public List<Rule> rules() {
    return rules;
  }

  /** The rule with {@code id}. */
  public Optional<Rule> rule(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Rule ids in priority order. */
  public List<String> ids() {
    return rules.stream().map(Rule::id).toList();
  }

  /** Warnings found while loading (always-true conditions, rules without actions, …). */
  public List<Problem> warnings() {
    return warnings;
  }

  /** Number of rules. */
  public int size() {
    return rules.size();
  }

  @Override
  public String toString() {
    return "RuleSet[" + name + ", " + rules.size() + " rules, " + checksum + "]";
  }

  static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder("sha256:");
      for (byte b : digest) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
