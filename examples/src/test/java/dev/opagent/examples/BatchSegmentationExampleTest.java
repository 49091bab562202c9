package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.BatchProgress;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSegmentationExampleTest {

  @Test
  void run_faultsPoisonAndBrokenRecords_giveEveryRecordOneTypedOutcome() {
    Output out = new Output();

    BatchSegmentationExample.BatchRun run = BatchSegmentationExample.run(80, out.stream);

    assertThat(run.inputs()).isEqualTo(84);
    assertThat(run.oneOutcomePerInput()).isTrue();
    assertThat(run.summary().total()).isEqualTo(84);
    List<SegmentOutcome.Failure> failures =
        run.outcomes().stream()
            .filter(o -> o instanceof SegmentOutcome.Failure)
            .map(o -> (SegmentOutcome.Failure) o)
            .toList();
    assertThat(failures)
        .filteredOn(f -> f.code() == ErrorCode.INVALID_INPUT)
        .extracting(SegmentOutcome.Failure::index)
        .containsExactly(20L, 40L, 50L, 75L);
    assertThat(failures)
        .filteredOn(f -> f.code() == ErrorCode.INVALID_INPUT)
        .allSatisfy(f -> assertThat(f.attempts()).isZero())
        .extracting(SegmentOutcome.Failure::message)
        .anyMatch(m -> m.contains("not valid JSON"))
        .anyMatch(m -> m.contains("customer.age must be a number"))
        .anyMatch(m -> m.contains("customer.age must be between 0 and 130"))
        .anyMatch(m -> m.contains("totalSpent must not be negative"));
    assertThat(failures)
        .filteredOn(f -> f.customerId() != null && run.poisonIds().contains(f.customerId()))
        .extracting(SegmentOutcome.Failure::code)
        .containsExactly(ErrorCode.AGENT_ERROR, ErrorCode.AGENT_UNAVAILABLE);
    assertThat(failures).hasSize(6); // random faults were all retried away
    assertThat(run.summary().succeeded()).isEqualTo(78);
    assertThat(run.summary().requests()).isGreaterThan(80); // retries happened

    assertThat(run.progress()).isNotEmpty();
    assertThat(run.progress()).extracting(BatchProgress::done).isSorted();
    assertThat(run.progress().get(run.progress().size() - 1).done()).isEqualTo(84);
    assertThat(out.text())
        .contains("Every record has exactly one outcome: true")
        .contains("record 20, customer unknown, 0 attempts: invalid customer data");
  }
}
