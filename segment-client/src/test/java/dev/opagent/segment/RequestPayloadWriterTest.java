package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.segment.internal.wire.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The hand-written request writer produces exactly the bytes Jackson's data binding writes for the
 * records: the body as sent (extra members in their order) and the cache key's form (extra members
 * and objects inside them sorted by name), over random customers with missing members, unicode and
 * escapes, amounts of every scale, dates with offsets and fractions, unknown seasons and extra
 * members of every JSON type.
 */
class RequestPayloadWriterTest {
  private static final ObjectWriter BOUND = Json.MAPPER.writer();
  private static final ObjectWriter BOUND_SORTED =
      Json.MAPPER
          .writer()
          .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);
  private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

  /** The request body's shape, written by data binding. */
  record Wire(CustomerData customerData) {}

  @Property(tries = 3000)
  void body_anyCustomer_sameBytesAsDataBinding(@ForAll long seed) throws Exception {
    CustomerData data = customer(new Random(seed));
    RequestPayload p = RequestPayload.of(data);
    byte[] expected = BOUND.writeValueAsBytes(new Wire(data));
    assertThat(new String(p.body(), StandardCharsets.UTF_8))
        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    assertThat(p.length()).isEqualTo(expected.length);
  }

  @Property(tries = 3000)
  void key_anyCustomer_isTheDigestOfDataBindingsSortedForm(@ForAll long seed) throws Exception {
    CustomerData data = customer(new Random(seed));
    byte[] sorted = BOUND_SORTED.writeValueAsBytes(new Wire(data));
    java.nio.ByteBuffer digest =
        java.nio.ByteBuffer.wrap(java.security.MessageDigest.getInstance("SHA-256").digest(sorted));
    assertThat(RequestPayload.of(data).key())
        .isEqualTo(
            new RequestPayload.Key(
                digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong()));
  }

  @Property(tries = 500)
  void key_onBehalfOfAUser_isTheDigestOfTheSortedFormAZeroByteAndTheUser(@ForAll long seed)
      throws Exception {
    CustomerData data = customer(new Random(seed));
    String user = "user-" + seed;
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update(BOUND_SORTED.writeValueAsBytes(new Wire(data)));
    sha.update((byte) 0);
    java.nio.ByteBuffer digest =
        java.nio.ByteBuffer.wrap(
            sha.digest(user.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    RequestPayload.Key key = RequestPayload.of(data, user).key();
    assertThat(key)
        .isEqualTo(
            new RequestPayload.Key(
                digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong()))
        .isNotEqualTo(RequestPayload.of(data).key())
        .isNotEqualTo(RequestPayload.of(data, user + "x").key());
  }

  @Property(tries = 5000)
  void plain_anyDecimal_asToPlainStringOrLeftToTheGeneralWay(@ForAll long seed) {
    Random r = new Random(seed);
    long unscaled =
        switch (r.nextInt(4)) {
          case 0 -> r.nextInt(1000) - 500;
          case 1 -> r.nextLong();
          case 2 -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
          default -> r.nextInt();
        };
    BigDecimal value = BigDecimal.valueOf(unscaled, r.nextInt(30) - 5);
    if (r.nextInt(10) == 0) {
      value = new BigDecimal(BigInteger.valueOf(unscaled).multiply(BigInteger.TEN.pow(3)), 2);
    }
    char[] into = new char[21];
    int length = RequestPayload.plain(value, into);
    if (length > 0) {
      assertThat(new String(into, 0, length)).isEqualTo(value.toPlainString());
    } else {
      assertThat(value.scale() < 0 || value.scale() > 18 || value.unscaledValue().bitLength() > 63)
          .isTrue();
    }
  }

  @Test
  void body_afterAnotherPayloadOnTheSameThread_isItsOwn() throws Exception {
    Random r = new Random(7);
    CustomerData a = customer(r);
    CustomerData b = customer(r);
    RequestPayload pa = RequestPayload.of(a);
    RequestPayload pb = RequestPayload.of(b);
    assertThat(pb.body()).isEqualTo(BOUND.writeValueAsBytes(new Wire(b)));
    assertThat(pa.body()).isEqualTo(BOUND.writeValueAsBytes(new Wire(a)));
    assertThat(pa.body()).isSameAs(pa.body());
  }

  @Test
  void body_largerThanTheKeptBuffer_isWhole() throws Exception {
    String city = "İ".repeat(200_000);
    CustomerData data = new CustomerData("C-1", city, null, null, Season.WINTER);
    RequestPayload p = RequestPayload.of(data);
    assertThat(p.body()).isEqualTo(BOUND.writeValueAsBytes(new Wire(data)));
    // The next, small payload on this thread is still right.
    CustomerData small = new CustomerData("C-2", "Van", null, null, null);
    assertThat(RequestPayload.of(small).body()).isEqualTo(BOUND.writeValueAsBytes(new Wire(small)));
  }

  // ---------------------------------------------------------------- generators

  static CustomerData customer(Random r) {
    String id = r.nextInt(10) == 0 ? text(r) : "C-" + r.nextInt(100_000);
    Customer customer = null;
    if (r.nextInt(8) != 0) {
      List<ProductHistory> history = new ArrayList<>();
      for (int i = r.nextInt(6); i > 0; i--) {
        history.add(
            new ProductHistory(
                maybe(r, () -> "P-" + r.nextInt(1000)),
                maybe(r, () -> text(r)),
                maybe(r, () -> r.nextInt(1000) - 10),
                maybe(r, () -> decimal(r)),
                maybe(r, () -> r.nextInt(50)),
                maybe(r, () -> date(r)),
                maybe(r, () -> decimal(r)),
                extras(r, 2)));
      }
      customer =
          new Customer(
              maybe(r, () -> r.nextInt(20) == 0 ? id + "x" : id),
              maybe(r, () -> r.nextInt(140)),
              maybe(r, () -> text(r)),
              maybe(r, () -> date(r)),
              history,
              extras(r, 3));
    }
    Region region =
        r.nextInt(6) == 0
            ? null
            : new Region(
                maybe(r, () -> text(r)),
                maybe(r, () -> text(r)),
                maybe(r, () -> decimal(r)),
                maybe(r, () -> text(r)),
                extras(r, 2));
    Season season =
        r.nextInt(4) == 0
            ? null
            : r.nextBoolean() ? Season.knownValues().get(r.nextInt(4)) : Season.of(text(r));
    return new CustomerData(id, maybe(r, () -> text(r)), customer, region, season, extras(r, 4));
  }

  private static <T> T maybe(Random r, java.util.function.Supplier<T> value) {
    return r.nextInt(5) == 0 ? null : value.get();
  }

  private static final String[] PIECES = {
    "a",
    "Z",
    "İstanbul",
    "çğıöşü",
    "é",
    "漢字",
    "😀",
    "\"",
    "\\",
    "/",
    "\n",
    "\t",
    "\u0000",
    "\u001f",
    "\u007f",
    "\u2028",
    " ",
    "<",
    "&",
    "'",
    "\ud83d\ude00x",
    "0",
    "-"
  };

  private static String text(Random r) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(6); i > 0; i--) {
      b.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  private static BigDecimal decimal(Random r) {
    return switch (r.nextInt(r.nextBoolean() ? 3 : 12)) {
      case 0 -> BigDecimal.valueOf(r.nextInt(100_000), r.nextInt(4));
      case 1 -> new BigDecimal("75.0");
      case 2 -> new BigDecimal(r.nextInt(100) + "E+" + r.nextInt(8));
      case 3 -> BigDecimal.valueOf(-r.nextLong() % 1_000_000_000L, r.nextInt(13));
      case 4 -> new BigDecimal("0.000000000001");
      case 5 -> BigDecimal.ZERO.setScale(r.nextInt(3));
      case 6 -> new BigDecimal("1000000000000.000000000001");
      case 7 -> new BigDecimal("1000000000000");
      case 8 -> new BigDecimal("1E+13");
      case 9 -> new BigDecimal("0.0000000000001");
      case 10 -> new BigDecimal("-0.5");
      default -> new BigDecimal("999999999999.999999999999");
    };
  }

  private static OffsetDateTime date(Random r) {
    OffsetDateTime t =
        OffsetDateTime.of(
            r.nextInt(50) == 0 ? r.nextInt(2) * 10_000 : 1 + r.nextInt(9999),
            1 + r.nextInt(12),
            1 + r.nextInt(28),
            r.nextInt(24),
            r.nextInt(60),
            r.nextInt(60),
            r.nextBoolean() ? 0 : r.nextInt(1_000_000_000),
            ZoneOffset.UTC);
    return r.nextBoolean() ? t : t.withOffsetSameInstant(ZoneOffset.ofHoursMinutes(3, 30));
  }

  private static Map<String, JsonNode> extras(Random r, int max) {
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (int i = r.nextInt(max + 1); i > 0; i--) {
      extra.put(
          r.nextBoolean() ? "x" + r.nextInt(20) : text(r), r.nextInt(20) == 0 ? null : value(r, 3));
    }
    return extra;
  }

  private static JsonNode value(Random r, int depth) {
    return switch (r.nextInt(depth > 0 ? 11 : 9)) {
      case 0 -> NODES.textNode(text(r));
      case 1 -> NODES.numberNode(r.nextInt());
      case 2 -> NODES.numberNode(r.nextLong());
      case 3 -> NODES.numberNode(decimal(r));
      case 4 -> NODES.numberNode(r.nextDouble() * 1e6);
      case 5 -> NODES.numberNode(BigInteger.valueOf(r.nextLong()).multiply(BigInteger.TEN));
      case 6 -> NODES.booleanNode(r.nextBoolean());
      case 7 -> NODES.nullNode();
      case 8 -> NODES.numberNode(new BigDecimal("1E-7"));
      case 9 -> {
        ObjectNode o = Json.object();
        for (int i = r.nextInt(4); i > 0; i--) {
          o.set(r.nextBoolean() ? "k" + r.nextInt(9) : text(r), value(r, depth - 1));
        }
        yield o;
      }
      default -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(value(r, depth - 1));
        }
        yield a;
      }
    };
  }
}
