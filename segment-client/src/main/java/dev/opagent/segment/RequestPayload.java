package dev.opagent.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.opagent.segment.internal.wire.Json;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code {"customerData": …}} request body and the client's cache key for it, from one
 * serialisation when the data has no extra members (the usual case).
 *
 * <p>The key is the SHA-256 of the body written with every map and extra object's members sorted by
 * name: the modelled members always come in one order, so equal data gives equal bytes whatever
 * order its extra members were added in, and any other difference gives other bytes. Data with
 * extra members is written a second time in its own order, which is what the agent receives.
 * Thread-safe.
 */
final class RequestPayload {
  private static final ObjectWriter SORTED =
      Json.MAPPER
          .writer()
          .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);
  private static final ObjectWriter AS_GIVEN = Json.MAPPER.writer();

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is not available", e);
            }
          });

  private final byte[] body;
  private final Key key;

  private RequestPayload(byte[] body, Key key) {
    this.body = body;
    this.key = key;
  }

  /** Writes {@code data}; it must have been validated. */
  static RequestPayload of(CustomerData data) throws JsonProcessingException {
    Wire wire = new Wire(data);
    byte[] sorted = SORTED.writeValueAsBytes(wire);
    byte[] body = hasExtras(data) ? AS_GIVEN.writeValueAsBytes(wire) : sorted;
    return new RequestPayload(body, Key.of(SHA_256.get().digest(sorted)));
  }

  /** The request body, as sent. */
  byte[] body() {
    return body;
  }

  /** The cache key. */
  Key key() {
    return key;
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
      if (!p.extra().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The request body's shape. */
  record Wire(CustomerData customerData) {}

  /** A SHA-256 digest, as four longs. */
  record Key(long a, long b, long c, long d) {
    static Key of(byte[] digest) {
      ByteBuffer buf = ByteBuffer.wrap(digest);
      return new Key(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

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
