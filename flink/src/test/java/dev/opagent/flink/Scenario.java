package dev.opagent.flink;

import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.CustomerEvents;
import dev.opagent.segment.CustomerData;
import dev.opagent.testkit.PopulationGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic day of customer events for a seeded population, written as a customers file and
 * an events file in time order: abandoned carts, purchases within the reminder's hour (which
 * withdraw it) and after it, unsubscribes, second carts, page views, events of customers no one
 * knows, and invalid lines at known line numbers.
 *
 * @param customers the customers file
 * @param events the events file
 * @param lines the lines of the events file, in order
 * @param invalidLines the line numbers of the invalid lines, with the field each gets wrong
 */
record Scenario(Path customers, Path events, List<String> lines, Map<Long, String> invalidLines) {

  static final Instant DAY_START = Instant.parse("2026-03-15T09:00:00Z");

  /** The generated scenario of {@code customerCount} customers, under {@code dir}. */
  static Scenario generate(Path dir, int customerCount, long seed) {
    List<CustomerData> population =
        PopulationGenerator.builder().seed(seed).idPrefix("C-").build().list(customerCount);
    Random random = new Random(seed);
    List<Timed> events = new ArrayList<>();
    int sequence = 0;
    for (int i = 0; i < population.size(); i++) {
      String id = population.get(i).customerId();
      Instant cart = DAY_START.plus(Duration.ofMinutes(random.nextInt(180)));
      double roll = random.nextDouble();
      if (random.nextDouble() < 0.5) {
        events.add(new Timed(cart.minus(Duration.ofMinutes(3)), sequence++, pageView(id, cart)));
      }
      if (roll < 0.65) {
        events.add(new Timed(cart, sequence++, cartAbandoned(id, cart)));
        double next = random.nextDouble();
        if (next < 0.25) {
          Instant at = cart.plus(Duration.ofMinutes(5 + random.nextInt(50)));
          events.add(new Timed(at, sequence++, purchase(id, at, "P-" + random.nextInt(20))));
        } else if (next < 0.45) {
          Instant at = cart.plus(Duration.ofMinutes(65 + random.nextInt(60)));
          events.add(new Timed(at, sequence++, purchase(id, at, "P-" + random.nextInt(20))));
        } else if (next < 0.55) {
          Instant at = cart.plus(Duration.ofMinutes(10 + random.nextInt(40)));
          events.add(new Timed(at, sequence++, unsubscribe(id, at)));
        } else if (next < 0.70) {
          Instant at = cart.plus(Duration.ofMinutes(20 + random.nextInt(100)));
          events.add(new Timed(at, sequence++, cartAbandoned(id, at)));
        }
      } else if (roll < 0.80) {
        Instant at = cart.plus(Duration.ofMinutes(random.nextInt(30)));
        events.add(new Timed(at, sequence++, purchase(id, at, "P-" + random.nextInt(20))));
      }
    }
    // customers no one knows: their carts reach no one
    for (int i = 0; i < Math.max(2, customerCount / 30); i++) {
      Instant at = DAY_START.plus(Duration.ofMinutes(random.nextInt(180)));
      events.add(new Timed(at, sequence++, cartAbandoned("X-" + i, at)));
    }
    events.sort(Comparator.comparing(Timed::at).thenComparingInt(Timed::sequence));

    List<String> lines = new ArrayList<>();
    for (Timed t : events) {
      lines.add(CustomerEvents.toJson(t.event()));
    }
    if (lines.size() < 130) {
      throw new IllegalArgumentException("a scenario needs more customers for its invalid lines");
    }
    Map<Long, String> invalid = Map.of(7L, "", 120L, "data.amount");
    // not JSON, and carrying what would be personal data
    lines.add(6, "{\"type\": \"page_view\", \"customerId\": \"jane.doe@example.com\", at: oops");
    lines.add(
        119,
        "{\"type\": \"purchase\", \"customerId\": \"C-0\", \"at\": \"2026-03-15T10:00:00Z\","
            + " \"data\": {\"amount\": -5}}");
    try {
      Files.createDirectories(dir);
      Path customers = dir.resolve("customers.jsonl");
      List<String> customerLines = new ArrayList<>();
      for (CustomerData c : population) {
        customerLines.add(c.toJson());
      }
      Files.write(customers, customerLines, StandardCharsets.UTF_8);
      Path file = dir.resolve("events.jsonl");
      Files.write(file, lines, StandardCharsets.UTF_8);
      return new Scenario(customers, file, List.copyOf(lines), invalid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The valid events in file order, each with its line number. */
  List<Numbered> validEvents() {
    List<Numbered> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      long number = i + 1;
      if (!invalidLines.containsKey(number)) {
        out.add(new Numbered(number, CustomerEvents.fromJson(lines.get(i))));
      }
    }
    return out;
  }

  record Numbered(long line, CustomerEvent event) {}

  private record Timed(Instant at, int sequence, CustomerEvent event) {}

  static CustomerEvent cartAbandoned(String id, Instant at) {
    return new CustomerEvent(
        CustomerEvent.CART_ABANDONED,
        id,
        at,
        Map.of("cartValue", new BigDecimal("149.90"), "items", List.of("P-7")));
  }

  static CustomerEvent purchase(String id, Instant at, String product) {
    return new CustomerEvent(
        CustomerEvent.PURCHASE,
        id,
        at,
        Map.of("amount", new BigDecimal("149.90"), "product", product, "category", "Giyim"));
  }

  static CustomerEvent unsubscribe(String id, Instant at) {
    return new CustomerEvent(CustomerEvent.UNSUBSCRIBE, id, at, Map.of("channel", "email"));
  }

  static CustomerEvent pageView(String id, Instant at) {
    return new CustomerEvent(CustomerEvent.PAGE_VIEW, id, at, Map.of("page", "/cart"));
  }
}
