package dev.opagent.segment;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.opagent.segment.internal.wire.Json;
import dev.opagent.segment.internal.wire.WireDateTime;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code {"customerData": …}} request body and the client's cache key for it.
 *
 * <p>The key is the SHA-256 of the body written with every extra member (and every member of an
 * object inside one) sorted by name: the modelled members always come in one order, so equal data
 * gives equal bytes whatever order its extra members were added in, and any other difference gives
 * other bytes. The body is written by hand with Jackson's streaming generator, byte for byte as
 * Jackson's data binding writes the records, into a buffer the thread reuses: a cache hit needs
 * only the key, so the body is copied out of the buffer ({@link #body()}) only when it is sent.
 * Data with extra members is written a second time in its own order, which is what the agent
 * receives. Not thread-safe: an instance belongs to the thread that wrote it.
 */
final class RequestPayload {
  private static final ObjectWriter AS_GIVEN = Json.MAPPER.writer();
  private static final ObjectWriter SORTED =
      Json.MAPPER.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);

  /** Buffers above this size are not kept for the next call. */
  private static final int KEEP_BUFFER_BYTES = 64 * 1024;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final CustomerData data;
  private final Scratch scratch;
  private final int length;
  private final boolean extras;
  private final Key key;
  private byte @Nullable [] body;

  private RequestPayload(CustomerData data, Scratch scratch, int length, boolean extras, Key key) {
    this.data = data;
    this.scratch = scratch;
    this.length = length;
    this.extras = extras;
    this.key = key;
  }

  /**
   * Writes {@code data}'s key form into this thread's buffer and hashes it; it must have been
   * validated.
   *
   * @throws IOException when it cannot be written (an extra member Jackson cannot write)
   */
  static RequestPayload of(CustomerData data) throws IOException {
    Scratch s = SCRATCH.get();
    boolean extras = hasExtras(data);
    s.release();
    s.write(data, extras ? SORTED : null);
    Key key = s.digest();
    RequestPayload p = new RequestPayload(data, s, s.out.count, extras, key);
    s.owner = p;
    return p;
  }

  /** The body's length in bytes (the key form has the same members, so the same length). */
  int length() {
    return length;
  }

  /** The cache key. */
  Key key() {
    return key;
  }

  /**
   * The request body, as sent: copied from the thread's buffer (written again when another payload
   * has used it since, or in the data's own member order when it has extra members).
   *
   * @throws IOException when it cannot be written
   */
  byte[] body() throws IOException {
    byte[] b = body;
    if (b != null) {
      return b;
    }
    if (extras || scratch.owner != this) {
      scratch.owner = null;
      scratch.write(data, extras ? AS_GIVEN : null);
    }
    b = Arrays.copyOf(scratch.out.buf, scratch.out.count);
    scratch.release();
    body = b;
    return b;
  }

  /** Done with this payload without its body (a cache hit): a large buffer is dropped now. */
  void release() {
    if (scratch.owner == this) {
      scratch.release();
    }
  }

  /** Writes {@code data} as the request body: the modelled members in order, then the extras. */
  static void write(JsonGenerator g, CustomerData data, @Nullable ObjectWriter extraWriter)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName("customerData");
    g.writeStartObject();
    g.writeStringField("customerId", data.customerId());
    string(g, "city", data.city());
    Customer c = data.customer();
    if (c != null) {
      g.writeFieldName("customer");
      g.writeStartObject();
      string(g, "customerId", c.customerId());
      integer(g, "age", c.age());
      string(g, "gender", c.gender());
      if (c.registeredAt() != null) {
        g.writeStringField("registeredAt", WireDateTime.format(c.registeredAt()));
      }
      g.writeFieldName("productHistory");
      g.writeStartArray();
      for (ProductHistory p : c.productHistory()) {
        if (p == null) {
          g.writeNull();
          continue;
        }
        g.writeStartObject();
        string(g, "productId", p.productId());
        string(g, "category", p.category());
        integer(g, "totalQuantity", p.totalQuantity());
        decimal(g, "totalSpent", p.totalSpent());
        integer(g, "orderCount", p.orderCount());
        if (p.lastPurchase() != null) {
          g.writeStringField("lastPurchase", WireDateTime.format(p.lastPurchase()));
        }
        decimal(g, "avgDaysBetween", p.avgDaysBetween());
        extras(g, p.extra(), extraWriter);
        g.writeEndObject();
      }
      g.writeEndArray();
      extras(g, c.extra(), extraWriter);
      g.writeEndObject();
    }
    Region r = data.region();
    if (r != null) {
      g.writeFieldName("region");
      g.writeStartObject();
      string(g, "name", r.name());
      string(g, "climateType", r.climateType());
      decimal(g, "medianBasket", r.medianBasket());
      string(g, "trend", r.trend());
      extras(g, r.extra(), extraWriter);
      g.writeEndObject();
    }
    if (data.currentSeason() != null) {
      g.writeStringField("currentSeason", data.currentSeason().wireValue());
    }
    extras(g, data.extra(), extraWriter);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, String name, @Nullable String value)
      throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  private static void integer(JsonGenerator g, String name, @Nullable Integer value)
      throws IOException {
    if (value != null) {
      g.writeNumberField(name, value.intValue());
    }
  }

  private static void decimal(JsonGenerator g, String name, @Nullable BigDecimal value)
      throws IOException {
    if (value != null) {
      g.writeNumberField(name, value);
    }
  }

  /**
   * Extra members: in their own order with {@link #AS_GIVEN}, sorted by name (and every object
   * inside sorted too) with {@link #SORTED}.
   */
  private static void extras(
      JsonGenerator g, Map<String, JsonNode> extra, @Nullable ObjectWriter writer)
      throws IOException {
    if (extra.isEmpty()) {
      return;
    }
    ObjectWriter w = writer == null ? AS_GIVEN : writer;
    Iterable<Map.Entry<String, JsonNode>> entries = extra.entrySet();
    if (w == SORTED) {
      List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(extra.entrySet());
      sorted.sort(Map.Entry.comparingByKey());
      entries = sorted;
    }
    for (Map.Entry<String, JsonNode> e : entries) {
      g.writeFieldName(e.getKey());
      JsonNode value = e.getValue();
      if (value == null) {
        g.writeNull();
      } else {
        w.writeValue(g, value);
      }
    }
  }

  private static boolean hasExtras(CustomerData data) {
    if (!data.extra().isEmpty()) {
      return true;
    }
    if (data.region() != null && !data.region().extra().isEmpty()) {
      return true;
    }
    Customer c = data.customer();
    if (c == null) {
      return false;
    }
    if (!c.extra().isEmpty()) {
      return true;
    }
    for (ProductHistory p : c.productHistory()) {
      if (p != null && !p.extra().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** A thread's buffer, digest and the payload whose body the buffer holds. */
  private static final class Scratch {
    Buffer out = new Buffer();
    final MessageDigest sha;
    final byte[] digest = new byte[32];
    @Nullable RequestPayload owner;

    Scratch() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }

    /** Writes {@code data} into the buffer, replacing what it held. */
    void write(CustomerData data, @Nullable ObjectWriter extraWriter) throws IOException {
      out.count = 0;
      try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
        RequestPayload.write(g, data, extraWriter);
      }
    }

    Key digest() {
      sha.update(out.buf, 0, out.count);
      try {
        sha.digest(digest, 0, digest.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 digest failed", e);
      }
      return new Key(
          (long) LONGS.get(digest, 0),
          (long) LONGS.get(digest, 8),
          (long) LONGS.get(digest, 16),
          (long) LONGS.get(digest, 24));
    }

    /** Drops a buffer grown for a large payload rather than hold it for the thread's life. */
    void release() {
      owner = null;
      if (out.buf.length > KEEP_BUFFER_BYTES) {
        out = new Buffer();
      }
    }
  }

  /** A growable byte array the generator writes into. */
  private static final class Buffer extends OutputStream {
    byte[] buf = new byte[4096];
    int count;

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }
  }

  /** A SHA-256 digest, as four longs. */
  record Key(long a, long b, long c, long d) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Key k && a == k.a && b == k.b && c == k.c && d == k.d;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(a); // digest bits: any 32 of them are as good as a hash of all
    }
  }
}
