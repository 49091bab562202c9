package dev.opagent.testkit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the simulated agent takes to answer: none, fixed, uniform or log-normal. Values are
 * immutable and thread-safe; samples are drawn from a caller-supplied random source, so a seeded
 * source gives a reproducible sequence.
 *
 * <pre>{@code
 * Latency.fixed(Duration.ofMillis(200));
 * Latency.uniform(Duration.ofMillis(100), Duration.ofMillis(300));
 * Latency.logNormal(Duration.ofSeconds(2), 0.5);   // median 2 s, like an LLM agent
 * Latency.parse("lognormal(2s,0.5)");             // the same, from text
 * }</pre>
 */
public sealed interface Latency {
  /** Longest latency ever drawn: AgentCore's synchronous request limit of 15 minutes. */
  Duration MAX = Duration.ofMinutes(15);

  /** Draws one latency from {@code random}. */
  Duration sample(SplittableRandom random);

  /** No added latency: answers are sent as soon as they are computed. */
  static Latency none() {
    return None.INSTANCE;
  }

  /** Always {@code latency}. */
  static Latency fixed(Duration latency) {
    return new Fixed(latency);
  }

  /** Uniformly distributed between {@code min} and {@code max}, both inclusive. */
  static Latency uniform(Duration min, Duration max) {
    return new Uniform(min, max);
  }

  /**
   * Log-normally distributed with the given median and shape {@code sigma} (the standard deviation
   * of the latency's natural logarithm): most answers come near the median, a few take many times
   * longer — the long tail of an LLM agent. Samples are capped at {@link #MAX}.
   */
  static Latency logNormal(Duration median, double sigma) {
    return new LogNormal(median, sigma);
  }

  /**
   * Parses a latency: {@code 0} or {@code none}; a duration such as {@code 200ms} (fixed); a range
   * {@code 100ms..300ms} (uniform); or {@code lognormal(2s,0.5)} (median, sigma).
   *
   * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
   */
  static Latency parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("none") || t.equals("0")) {
      return none();
    }
    Matcher logNormal = LogNormal.TEXT.matcher(t);
    if (logNormal.matches()) {
      double sigma;
      try {
        sigma = Double.parseDouble(logNormal.group(2).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "latency sigma must be a number but was '" + logNormal.group(2).strip() + "'");
      }
      return logNormal(parseDuration(logNormal.group(1)), sigma);
    }
    int range = t.indexOf("..");
    if (range >= 0) {
      return uniform(parseDuration(t.substring(0, range)), parseDuration(t.substring(range + 2)));
    }
    try {
      Duration d = parseDuration(t);
      return d.isZero() ? none() : fixed(d);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "latency must be none, a duration such as 200ms, a range"
              + " such as 100ms..300ms or lognormal(2s,0.5) but was '"
              + text
              + "'");
    }
  }

  /**
   * Parses a duration: a non-negative number with unit {@code ns}, {@code us}, {@code ms}, {@code
   * s}, {@code m} or {@code h} (for example {@code 200ms}, {@code 1.5s}), or ISO-8601 ({@code
   * PT0.2S}).
   *
   * @throws IllegalArgumentException when {@code text} is not such a duration
   */
  static Duration parseDuration(String text) {
    return Durations.parse(text);
  }

  /** No latency. */
  enum None implements Latency {
    /** The only instance. */
    INSTANCE;

    @Override
    public Duration sample(SplittableRandom random) {
      return Duration.ZERO;
    }

    @Override
    public String toString() {
      return "none";
    }
  }

  /**
   * A fixed latency.
   *
   * @param latency the latency, positive and at most {@link #MAX}
   */
  record Fixed(Duration latency) implements Latency {
    /** Checks the latency. */
    public Fixed {
      Durations.checkLatency("latency", latency);
    }

    @Override
    public Duration sample(SplittableRandom random) {
      return latency;
    }

    @Override
    public String toString() {
      return Durations.format(latency);
    }
  }

  /**
   * A latency uniformly distributed between two bounds.
   *
   * @param min the shortest latency, not negative
   * @param max the longest latency, at least {@code min} and at most {@link #MAX}
   */
  record Uniform(Duration min, Duration max) implements Latency {
    /** Checks the bounds. */
    public Uniform {
      Durations.checkLatency("min", min);
      Durations.checkLatency("max", max);
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "max must be at least min ("
                + Durations.format(min)
                + ") but was "
                + Durations.format(max));
      }
    }

    @Override
    public Duration sample(SplittableRandom random) {
      long lo = min.toNanos();
      long hi = max.toNanos();
      return Duration.ofNanos(lo == hi ? lo : random.nextLong(lo, hi + 1));
    }

    @Override
    public String toString() {
      return Durations.format(min) + ".." + Durations.format(max);
    }
  }

  /**
   * A log-normally distributed latency.
   *
   * @param median the median latency, positive
   * @param sigma the standard deviation of the latency's logarithm, in [0, 4]
   */
  record LogNormal(Duration median, double sigma) implements Latency {
    private static final Pattern TEXT = Pattern.compile("lognormal\\(([^,]+),([^)]+)\\)");

    /** Checks the parameters. */
    public LogNormal {
      Durations.checkLatency("median", median);
      if (median.isZero()) {
        throw new IllegalArgumentException("median must be positive but was 0");
      }
      if (!(sigma >= 0 && sigma <= 4)) {
        throw new IllegalArgumentException("sigma must be between 0 and 4 but was " + sigma);
      }
    }

    @Override
    public Duration sample(SplittableRandom random) {
      // Box–Muller: one standard normal from two uniforms; 1 - u avoids log(0).
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double normal = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
      double nanos = median.toNanos() * Math.exp(sigma * normal);
      return nanos >= MAX.toNanos() ? MAX : Duration.ofNanos(Math.round(nanos));
    }

    @Override
    public String toString() {
      return "lognormal(" + Durations.format(median) + "," + sigma + ")";
    }
  }
}

/** Duration text for latencies and the command line. */
final class Durations {
  private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = TEXT.matcher(t);
    if (m.matches()) {
      java.math.BigDecimal amount = new java.math.BigDecimal(m.group(1));
      long nanosPerUnit =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      try {
        return Duration.ofNanos(
            amount
                .multiply(java.math.BigDecimal.valueOf(nanosPerUnit))
                .setScale(0, java.math.RoundingMode.HALF_UP)
                .longValueExact());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration is too long: '" + text + "'");
      }
    }
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
        if (!d.isNegative()) {
          return d;
        }
      } catch (java.time.DateTimeException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(
        "duration must be a non-negative number with a unit"
            + " (ns, us, ms, s, m, h) such as 200ms or 2s, or ISO-8601 such as PT0.2S, but was '"
            + text
            + "'");
  }

  static void checkLatency(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    if (value.compareTo(Latency.MAX) > 0) {
      throw new IllegalArgumentException(
          name + " must be at most 15 minutes (AgentCore's limit) but was " + format(value));
    }
  }

  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }
}
