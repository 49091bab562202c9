package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.CustomerData;
import dev.opagent.testkit.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment analyses in an embedded H2 file. */
class H2SegmentStoreTest extends SegmentStoreContract {
  @TempDir Path dir;

  @Override
  OperatingStore open() {
    return OperatingStore.open("jdbc:h2:file:" + dir.resolve("store"), "sa", "");
  }

  @Test
  void reopen_analysesOutliveTheProcessesStore() {
    CustomerData c = Fixtures.seedActiveCustomer();
    segments.saveAll(List.of(analysis(c, AT, "DEFAULT")));
    store.close();

    store = open();

    assertThat(
            store
                .segmentStore()
                .find(List.of(c.customerId()), ARN, "DEFAULT")
                .get(c.customerId())
                .dataHash())
        .isEqualTo(c.canonicalHash());
  }
}
