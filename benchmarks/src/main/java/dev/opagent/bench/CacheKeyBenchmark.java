package dev.opagent.bench;

import dev.opagent.segment.CustomerData;
import dev.opagent.testkit.PopulationGenerator;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The segment client's cache key, two ways, for one lookup that hits: the SHA-256 of the request
 * body (32 bytes a key, what the client uses), or the body itself as the key (exact, no digest, but
 * a hash over every byte and the whole body held per entry). Bodies are those of {@value
 * #CUSTOMERS} customers of {@code PopulationGenerator.ofSeed(42)}, each a fresh array as a new call
 * would write it; their average size is printed at setup. Not thread-safe state: one thread.
 *
 * <pre>
 * java -cp CLASSPATH org.openjdk.jmh.Main CacheKeyBenchmark -f 1 -wi 5 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheKeyBenchmark {
  /** Bodies per invocation. */
  public static final int CUSTOMERS = 1024;

  private byte[][] bodies = new byte[0][];
  private final Map<Digest, Boolean> byDigest = new HashMap<>();
  private final Map<Body, Boolean> byBody = new HashMap<>();
  private MessageDigest sha;
  private final byte[] out = new byte[32];

  /** A SHA-256 digest as four longs. */
  record Digest(long a, long b, long c, long d) {}

  /** A body as its own key. */
  static final class Body {
    final byte[] bytes;
    final int hash;

    Body(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Body b && hash == b.hash && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Writes the bodies and fills both maps. */
  @Setup(Level.Trial)
  public void setUp() throws NoSuchAlgorithmException, DigestException {
    sha = MessageDigest.getInstance("SHA-256");
    PopulationGenerator population = PopulationGenerator.ofSeed(42);
    bodies = new byte[CUSTOMERS][];
    long total = 0;
    for (int i = 0; i < CUSTOMERS; i++) {
      CustomerData c = population.customer(i);
      bodies[i] = ("{\"customerData\":" + c.toJson() + "}").getBytes(StandardCharsets.UTF_8);
      total += bodies[i].length;
      byDigest.put(digest(bodies[i]), Boolean.TRUE);
      byBody.put(new Body(bodies[i].clone()), Boolean.TRUE);
    }
    System.out.printf("%n  average body %d bytes%n", total / CUSTOMERS);
  }

  private Digest digest(byte[] body) throws DigestException {
    sha.update(body, 0, body.length);
    sha.digest(out, 0, 32);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
    return new Digest(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  /** Digest the body, look the digest up. */
  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public void sha256Key(Blackhole bh) throws DigestException {
    for (byte[] body : bodies) {
      bh.consume(byDigest.get(digest(body)));
    }
  }

  /** Hash the body, look it up, compare it byte for byte with the stored one. */
  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public void bodyKey(Blackhole bh) {
    for (byte[] body : bodies) {
      bh.consume(byBody.get(new Body(body)));
    }
  }
}
