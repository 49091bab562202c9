package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.segment.internal.wire.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The cache key: equal customer data has one key whatever the order of its members, and any other
 * difference gives another key.
 */
class RequestPayloadPropertyTest {
  private static final List<String> NAMES = List.of("tier", "source", "note", "b", "a", "z", "k1");

  @Property(tries = 500)
  void key_membersInAnotherOrder_sameKeyAndTheBodyKeepsItsOrder(@ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    ObjectNode tree = customer(random);
    ObjectNode shuffled = shuffle(tree, random);
    CustomerData a = CustomerData.fromJson(tree.toString());
    CustomerData b = CustomerData.fromJson(shuffled.toString());

    RequestPayload pa = RequestPayload.of(a);
    RequestPayload pb = RequestPayload.of(b);

    assertThat(pb.key()).isEqualTo(pa.key());
    // What the agent receives is each customer's data as given.
    assertThat(Json.MAPPER.readTree(pb.body()).get("customerData")).isEqualTo(shuffled);
    assertThat(new String(pb.body(), StandardCharsets.UTF_8))
        .isEqualTo(Json.MAPPER.writeValueAsString(Map.of("customerData", b)));
  }

  @Property(tries = 500)
  void key_anyOtherDifference_otherKey(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    ObjectNode tree = customer(random);
    ObjectNode changed = tree.deepCopy();
    mutate(changed, random);
    CustomerData a = CustomerData.fromJson(tree.toString());
    CustomerData b = CustomerData.fromJson(changed.toString());

    assertThat(RequestPayload.of(b).key()).isNotEqualTo(RequestPayload.of(a).key());
  }

  @Property(tries = 200)
  void client_equalCustomersWithExtrasInAnotherOrder_answeredFromTheCache(@ForAll long seed) {
    Random random = new Random(seed);
    ObjectNode tree = customer(random);
    CustomerData a = CustomerData.fromJson(tree.toString());
    CustomerData b = CustomerData.fromJson(shuffle(tree, random).toString());
    InProcessAgent agent = InProcessAgent.instant();
    try (SegmentClient client = agent.client(o -> {})) {
      assertThat(client.analyzeDetailed(a, false).source()).isEqualTo(Source.AGENT);
      assertThat(client.analyzeDetailed(b, false).source()).isEqualTo(Source.CACHE);
      ObjectNode changed = tree.deepCopy();
      mutate(changed, random);
      CustomerData c = CustomerData.fromJson(changed.toString());
      assertThat(client.analyzeDetailed(c, false).source()).isEqualTo(Source.AGENT);
    }
    assertThat(agent.requests.get()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- generators

  private static ObjectNode customer(Random r) {
    ObjectNode data = Json.object();
    data.put("customerId", "C-" + r.nextInt(1000));
    data.put("city", "Istanbul");
    ObjectNode customer = data.putObject("customer");
    customer.put("customerId", data.get("customerId").asText());
    customer.put("age", 18 + r.nextInt(60));
    customer.put("registeredAt", "2024-03-15T00:00:00");
    ArrayNode history = customer.putArray("productHistory");
    for (int i = r.nextInt(3); i > 0; i--) {
      ObjectNode p = history.addObject();
      p.put("productId", "P-" + r.nextInt(100));
      p.put("category", "SKINCARE");
      p.put("totalQuantity", 1 + r.nextInt(9));
      p.put("totalSpent", new BigDecimal("479.20"));
      p.put("orderCount", 1 + r.nextInt(5));
      p.put("lastPurchase", "2026-01-15T00:00:00");
      extras(p, r, 2);
    }
    extras(customer, r, 3);
    ObjectNode region = data.putObject("region");
    region.put("name", "Marmara");
    region.put("medianBasket", new BigDecimal("75.0"));
    extras(region, r, 3);
    data.put("currentSeason", "Winter");
    extras(data, r, 4);
    return data;
  }

  private static void extras(ObjectNode into, Random r, int max) {
    for (int i = r.nextInt(max + 1); i > 0; i--) {
      String name = "x" + NAMES.get(r.nextInt(NAMES.size()));
      into.set(name, value(r, 2));
    }
  }

  private static JsonNode value(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 5 : 3);
    return switch (kind) {
      case 0 -> Json.MAPPER.getNodeFactory().textNode("v" + r.nextInt(5));
      case 1 -> Json.MAPPER.getNodeFactory().numberNode(r.nextInt(5));
      case 2 -> Json.MAPPER.getNodeFactory().numberNode(new BigDecimal(r.nextInt(5) + ".50"));
      case 3 -> {
        ObjectNode o = Json.object();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
          o.set(NAMES.get(r.nextInt(NAMES.size())), value(r, depth - 1));
        }
        yield o;
      }
      default -> {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int i = r.nextInt(3); i > 0; i--) {
          a.add(value(r, depth - 1));
        }
        yield a;
      }
    };
  }

  /** A copy with every object's members in a random order; arrays keep theirs. */
  private static <T extends JsonNode> T shuffle(T node, Random r) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
      Collections.shuffle(members, r);
      ObjectNode copy = Json.object();
      for (Map.Entry<String, JsonNode> m : members) {
        copy.set(m.getKey(), shuffle(m.getValue(), r));
      }
      @SuppressWarnings("unchecked")
      T result = (T) copy;
      return result;
    }
    if (node.isArray()) {
      ArrayNode copy = Json.MAPPER.createArrayNode();
      node.forEach(e -> copy.add(shuffle(e, r)));
      @SuppressWarnings("unchecked")
      T result = (T) copy;
      return result;
    }
    return node;
  }

  /** Changes one thing: a leaf's value or scale, or adds a member somewhere. */
  private static void mutate(ObjectNode root, Random r) {
    List<ObjectNode> objects = new ArrayList<>();
    collect(root, objects);
    ObjectNode target = objects.get(r.nextInt(objects.size()));
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    names.remove("customerId"); // the two ids must stay equal to be valid
    if (names.isEmpty()) {
      target.put("xadded", 0);
      return;
    }
    String name = names.get(r.nextInt(names.size()));
    JsonNode v = target.get(name);
    switch (r.nextInt(3)) {
      case 0 -> target.put("added" + r.nextInt(1000), 1);
      case 1 -> {
        if (v.isTextual()) {
          target.put(name, v.asText().startsWith("2") ? "2025-03-15T00:00:00" : v.asText() + "x");
        } else if (v.isBigDecimal()) {
          BigDecimal d = v.decimalValue();
          // 479.20 becomes 479.2: the same amount at another scale is other data on the wire.
          target.put(name, d.scale() > 0 ? d.setScale(d.scale() - 1) : d.setScale(1));
        } else if (v.isIntegralNumber()) {
          target.put(name, v.intValue() + 1);
        } else {
          target.put("added" + r.nextInt(1000), "y");
        }
      }
      default -> {
        if (name.startsWith("x")) {
          target.remove(name);
        } else {
          target.put("xadded", 0);
        }
      }
    }
  }

  private static void collect(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode o) {
      into.add(o);
    }
    node.forEach(child -> collect(child, into));
  }
}
