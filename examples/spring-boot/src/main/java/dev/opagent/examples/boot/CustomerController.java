package dev.opagent.examples.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Segments one customer ({@code POST /segments}) and runs one round of the loop over a list of
 * customers ({@code POST /rounds/{runId}}), with the beans the starter configured. Customer data is
 * read with the library's own reader, so the agent receives exactly what was posted.
 */
@RestController
class CustomerController {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SegmentClient segments;
  private final OperationAgent loop;

  CustomerController(SegmentClient segments, OperationAgent loop) {
    this.segments = segments;
    this.loop = loop;
  }

  /** The customer's segments, as the agent sees them. */
  @PostMapping(path = "/segments", consumes = MediaType.APPLICATION_JSON_VALUE)
  Segments segment(@RequestBody String customer) {
    return Segments.of(segments.analyze(CustomerData.fromJson(customer)));
  }

  /** One round over the posted customers (a JSON array): what was decided and delivered. */
  @PostMapping(path = "/rounds/{runId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  Round round(@PathVariable String runId, @RequestBody String customers) throws Exception {
    JsonNode array = JSON.readTree(customers);
    if (!array.isArray()) {
      throw new IllegalArgumentException("expected a JSON array of customers");
    }
    List<CustomerData> data = new ArrayList<>();
    for (JsonNode customer : array) {
      data.add(CustomerData.fromJson(customer.toString()));
    }
    RoundReport r = loop.runRound(runId, data);
    Map<String, Long> notChosen = new TreeMap<>();
    r.notChosenByReason().forEach((reason, n) -> notChosen.put(reason.name(), n));
    return new Round(
        r.runId(),
        r.customers(),
        r.segmented(),
        r.chosen(),
        r.deferred(),
        r.blocked(),
        r.execution().completed(),
        r.execution().failed(),
        notChosen);
  }

  @ExceptionHandler({InvalidInputException.class, IllegalArgumentException.class})
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  Map<String, String> invalid(RuntimeException e) {
    // the library's messages name the field, never its value
    return Map.of("error", Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
  }

  @ExceptionHandler(IllegalStateException.class)
  @ResponseStatus(HttpStatus.CONFLICT)
  Map<String, String> conflict(IllegalStateException e) {
    return Map.of("error", Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
  }

  /** A customer's segment labels. */
  record Segments(
      @Nullable String churn,
      @Nullable String value,
      @Nullable String loyalty,
      @Nullable String age,
      @Nullable String affinity,
      int missingRegulars) {
    static Segments of(SegmentAnalysis a) {
      return new Segments(
          text(a.churnSegment()),
          text(a.valueSegment()),
          text(a.loyaltyTier()),
          text(a.ageSegment()),
          text(a.affinityType()),
          a.missingRegulars().size());
    }

    private static @Nullable String text(@Nullable Object label) {
      return label == null ? null : label.toString();
    }
  }

  /** What a round did. */
  record Round(
      String runId,
      long customers,
      long segmented,
      long chosen,
      long deferred,
      long blocked,
      long delivered,
      long failed,
      Map<String, Long> notChosen) {}
}
