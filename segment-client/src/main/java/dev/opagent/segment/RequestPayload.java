package dev.opagent.segment;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
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

  // Member names, encoded once.
  private static final SerializedString AGE = new SerializedString("age");
  private static final SerializedString AVG_DAYS_BETWEEN = new SerializedString("avgDaysBetween");
  private static final SerializedString CATEGORY = new SerializedString("category");
  private static final SerializedString CITY = new SerializedString("city");
  private static final SerializedString CLIMATE_TYPE = new SerializedString("climateType");
  private static final SerializedString CURRENT_SEASON = new SerializedString("currentSeason");
  private static final SerializedString CUSTOMER = new SerializedString("customer");
  private static final SerializedString CUSTOMER_DATA = new SerializedString("customerData");
  private static final SerializedString CUSTOMER_ID = new SerializedString("customerId");
  private static final SerializedString GENDER = new SerializedString("gender");
  private static final SerializedString LAST_PURCHASE = new SerializedString("lastPurchase");
  private static final SerializedString MEDIAN_BASKET = new SerializedString("medianBasket");
  private static final SerializedString NAME = new SerializedString("name");
  private static final SerializedString ORDER_COUNT = new SerializedString("orderCount");
  private static final SerializedString PRODUCT_HISTORY = new SerializedString("productHistory");
  private static final SerializedString PRODUCT_ID = new SerializedString("productId");
  private static final SerializedString REGION = new SerializedString("region");
  private static final SerializedString REGISTERED_AT = new SerializedString("registeredAt");
  private static final SerializedString TOTAL_QUANTITY = new SerializedString("totalQuantity");
  private static final SerializedString TOTAL_SPENT = new SerializedString("totalSpent");
  private static final SerializedString TREND = new SerializedString("trend");

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
    return of(data, null);
  }

  /**
   * Like {@link #of(CustomerData)}, for a request on behalf of {@code userId}: the key hashes the
   * user id after the body (behind a zero byte, which JSON text never holds), so the same data sent
   * for two users gives two keys.
   */
  static RequestPayload of(CustomerData data, @Nullable String userId) throws IOException {
    Scratch s = SCRATCH.get();
    boolean extras = hasExtras(data);
    s.release();
    s.write(data, extras ? SORTED : null);
    Key key = s.digest(userId);
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
  static void write(
      JsonGenerator g, CustomerData data, @Nullable ObjectWriter extraWriter, char[] digits)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName(CUSTOMER_DATA);
    g.writeStartObject();
    field(g, CUSTOMER_ID, data.customerId());
    string(g, CITY, data.city());
    Customer c = data.customer();
    if (c != null) {
      g.writeFieldName(CUSTOMER);
      g.writeStartObject();
      string(g, CUSTOMER_ID, c.customerId());
      integer(g, AGE, c.age());
      string(g, GENDER, c.gender());
      date(g, REGISTERED_AT, c.registeredAt(), digits);
      g.writeFieldName(PRODUCT_HISTORY);
      g.writeStartArray();
      for (ProductHistory p : c.productHistory()) {
        if (p == null) {
          g.writeNull();
          continue;
        }
        g.writeStartObject();
        string(g, PRODUCT_ID, p.productId());
        string(g, CATEGORY, p.category());
        integer(g, TOTAL_QUANTITY, p.totalQuantity());
        decimal(g, TOTAL_SPENT, p.totalSpent(), digits);
        integer(g, ORDER_COUNT, p.orderCount());
        date(g, LAST_PURCHASE, p.lastPurchase(), digits);
        decimal(g, AVG_DAYS_BETWEEN, p.avgDaysBetween(), digits);
        extras(g, p.extra(), extraWriter);
        g.writeEndObject();
      }
      g.writeEndArray();
      extras(g, c.extra(), extraWriter);
      g.writeEndObject();
    }
    Region r = data.region();
    if (r != null) {
      g.writeFieldName(REGION);
      g.writeStartObject();
      string(g, NAME, r.name());
      string(g, CLIMATE_TYPE, r.climateType());
      decimal(g, MEDIAN_BASKET, r.medianBasket(), digits);
      string(g, TREND, r.trend());
      extras(g, r.extra(), extraWriter);
      g.writeEndObject();
    }
    if (data.currentSeason() != null) {
      field(g, CURRENT_SEASON, data.currentSeason().wireValue());
    }
    extras(g, data.extra(), extraWriter);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void field(JsonGenerator g, SerializedString name, String value)
      throws IOException {
    g.writeFieldName(name);
    g.writeString(value);
  }

  private static void string(JsonGenerator g, SerializedString name, @Nullable String value)
      throws IOException {
    if (value != null) {
      g.writeFieldName(name);
      g.writeString(value);
    }
  }

  private static void date(
      JsonGenerator g, SerializedString name, @Nullable OffsetDateTime value, char[] chars)
      throws IOException {
    if (value == null) {
      return;
    }
    g.writeFieldName(name);
    int length = WireDateTime.formatTo(value, chars);
    if (length > 0) {
      g.writeString(chars, 0, length);
    } else {
      g.writeString(WireDateTime.format(value));
    }
  }

  private static void integer(JsonGenerator g, SerializedString name, @Nullable Integer value)
      throws IOException {
    if (value != null) {
      g.writeFieldName(name);
      g.writeNumber(value.intValue());
    }
  }

  private static void decimal(
      JsonGenerator g, SerializedString name, @Nullable BigDecimal value, char[] digits)
      throws IOException {
    if (value == null) {
      return;
    }
    g.writeFieldName(name);
    int length = plain(value, digits);
    if (length > 0) {
      g.writeNumber(digits, 0, length);
    } else {
      g.writeNumber(value);
    }
  }

  /**
   * Writes {@code value} into {@code into} as {@link BigDecimal#toPlainString()} does (which is how
   * the generator writes it) and returns the length, for the usual amount: a scale of 0–18 and an
   * unscaled value that fits a long. Returns 0 for any other, which the caller writes the general
   * way; {@code into} holds at least 21 characters.
   */
  static int plain(BigDecimal value, char[] into) {
    int scale = value.scale();
    if (scale < 0 || scale > 18) {
      return 0;
    }
    java.math.BigInteger unscaled = value.unscaledValue();
    if (unscaled.bitLength() > 63) {
      return 0;
    }
    long v = unscaled.longValue();
    boolean negative = v < 0;
    // Digits of |v| from the right, at least scale + 1 of them (a leading 0 before the point).
    int end = into.length;
    int at = end;
    int written = 0;
    long rest = v;
    while (rest != 0 || written <= scale) {
      if (written == scale && scale > 0) {
        into[--at] = '.';
      }
      into[--at] = (char) ('0' + Math.abs(rest % 10));
      rest /= 10;
      written++;
    }
    if (negative) {
      into[--at] = '-';
    }
    int length = end - at;
    System.arraycopy(into, at, into, 0, length);
    return length;
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
    final char[] digits = new char[48];

    /** Writes into {@link #out}; replaced with it. */
    @Nullable JsonGenerator generator;

    @Nullable RequestPayload owner;

    Scratch() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }

    /**
     * Writes {@code data} into the buffer, replacing what it held. The generator is kept for the
     * next call (one document after another, with no separator); one that failed is dropped.
     */
    void write(CustomerData data, @Nullable ObjectWriter extraWriter) throws IOException {
      out.count = 0;
      JsonGenerator g = generator;
      generator = null;
      if (g == null) {
        g = Json.MAPPER.createGenerator(out);
        g.setRootValueSeparator(null);
      }
      RequestPayload.write(g, data, extraWriter, digits);
      g.flush();
      generator = g;
    }

    Key digest(@Nullable String userId) {
      sha.update(out.buf, 0, out.count);
      if (userId != null) {
        sha.update((byte) 0);
        sha.update(userId.getBytes(StandardCharsets.UTF_8));
      }
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
        generator = null;
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
