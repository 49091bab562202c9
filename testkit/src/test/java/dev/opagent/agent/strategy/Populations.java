package dev.opagent.agent.strategy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.rules.Candidate;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentDistribution;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A simulated, segmented population shared by the strategy tests. */
final class Populations {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Segmented(
      List<CustomerData> customers,
      List<SegmentAnalysis> analyses,
      List<Candidate> candidates,
      SegmentDistribution distribution) {}

  private Populations() {}

  static Segmented segmented(long seed, int size) {
    PopulationGenerator generator = PopulationGenerator.ofSeed(seed);
    ReferenceSegmenter segmenter = new ReferenceSegmenter(Fixtures.seedClock());
    List<CustomerData> customers = generator.list(size);
    List<SegmentAnalysis> analyses = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    for (CustomerData c : customers) {
      SegmentAnalysis a = segmenter.analyze(c);
      analyses.add(a);
      try {
        CustomerView view =
            CustomerView.builder()
                .customerData(MAPPER.readTree(c.toJson()))
                .analysis(MAPPER.readTree(a.toJson()))
                .asOf(generator.asOf())
                .build();
        candidates.add(new Candidate(c.customerId(), view));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Segmented(customers, analyses, candidates, SegmentDistribution.ofAnalyses(analyses));
  }
}
