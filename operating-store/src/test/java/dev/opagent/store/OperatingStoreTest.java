package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class OperatingStoreTest {

  @Test
  void open_severalProcessesAtOnceOnAFreshPostgres_allMigrateTheSameSchema() {
    String url = PostgresServer.url();
    String prefix = PostgresServer.freshPrefix();
    CyclicBarrier start = new CyclicBarrier(6);
    List<CompletableFuture<OperatingStore>> opening = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      opening.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return OperatingStore.builder()
                    .url(url, "postgres", "")
                    .tablePrefix(prefix)
                    .maxPoolSize(2)
                    .build();
              }));
    }
    for (CompletableFuture<OperatingStore> f : opening) {
      try (OperatingStore store = f.join()) {
        assertThat(store.isPostgres()).isTrue();
        assertThat(store.journal().runState("none")).isEmpty();
      }
    }
  }

  @Test
  void embeddedDatabase_onlyForH2ThatOneProcessOpens() {
    assertThat(OperatingStore.embeddedDatabase("jdbc:h2:file:./x/store;WRITE_DELAY=0"))
        .isEqualTo(OperatingStore.embeddedDatabase("jdbc:h2:./x/../x/store"));
    assertThat(OperatingStore.embeddedDatabase("jdbc:h2:mem:t1")).isEqualTo("mem:t1");
    assertThat(OperatingStore.embeddedDatabase("jdbc:h2:file:./x;AUTO_SERVER=TRUE")).isNull();
    assertThat(OperatingStore.embeddedDatabase("jdbc:h2:tcp://db/x")).isNull();
    assertThat(OperatingStore.embeddedDatabase("jdbc:postgresql://db/x")).isNull();
  }

  @Test
  void mask_hidesPasswordsAndUserInfo() {
    assertThat(
            OperatingStore.mask("jdbc:postgresql://db:5432/ops?user=ops&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/ops?user=ops&password=***&ssl=true");
    assertThat(OperatingStore.mask("jdbc:postgresql://ops:s3cret@db/ops"))
        .isEqualTo("jdbc:postgresql://***@db/ops");
    assertThat(OperatingStore.mask("jdbc:h2:file:./store;CIPHER=AES;PASSWORD=x"))
        .doesNotContain("PASSWORD=x");
  }

  @Test
  void open_unsupportedUrl_namesTheFormatWithoutTheSecret() {
    assertThatThrownBy(() -> OperatingStore.open("jdbc:mysql://db/ops?password=s3cret", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:h2:")
        .hasMessageNotContaining("s3cret");
  }
}
