package dev.opagent.agent.execution.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesChannelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-15T09:00:01Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  private JsonLinesChannel open(Path file) {
    return JsonLinesChannel.builder(file).clock(CLOCK).build();
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  @Test
  void deliver_newKey_appendsOneLineReadableBeforeReturn() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    ActionRequest request = Requests.request("ik-1", Requests.CUSTOMER);
    try (JsonLinesChannel channel = open(file)) {
      DeliveryReceipt receipt = channel.deliver(request);

      assertThat(receipt).isEqualTo(DeliveryReceipt.delivered(request, "jsonl", "line-1", NOW));
      assertThat(Files.readString(file)).endsWith("}\n");
      List<String> lines = lines(file);
      assertThat(lines).hasSize(1);
      JsonNode line = JSON.readTree(lines.get(0));
      assertThat(line.get("idempotencyKey").asText()).isEqualTo("ik-1");
      assertThat(line.get("customerId").asText()).isEqualTo(Requests.CUSTOMER);
      assertThat(line.get("campaign").asText()).isEqualTo("winback");
      assertThat(line.get("actionType").asText()).isEqualTo("send_email");
      assertThat(line.get("channel").asText()).isEqualTo("email");
      assertThat(line.get("deliveryChannel").asText()).isEqualTo("jsonl");
      assertThat(line.get("deliveredAt").asText()).isEqualTo("2026-03-15T09:00:01Z");
      assertThat(ActionRequest.fromJson(lines.get(0))).isEqualTo(request);
      assertThat(channel.lineCount()).isEqualTo(1);
    }
  }

  @Test
  void deliver_sameKeyTwice_writesOnceAndReturnsDuplicateOfFirstLine() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = open(file)) {
      channel.deliver(Requests.request("ik-a"));
      channel.deliver(Requests.request("ik-b"));
      DeliveryReceipt again = channel.deliver(Requests.request("ik-a"));

      assertThat(again.duplicate()).isTrue();
      assertThat(again.externalId()).isEqualTo("line-1");
      assertThat(channel.deduplicatesByKey()).isTrue();
    }
    assertThat(lines(file)).hasSize(2);
  }

  @Test
  void open_existingFile_remembersKeysAcrossReopen() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = open(file)) {
      for (String key : List.of("ik-a", "ik-b", "ik-c")) {
        channel.deliver(Requests.request(key));
      }
    }
    try (JsonLinesChannel reopened = open(file)) {
      DeliveryReceipt again = reopened.deliver(Requests.request("ik-b"));
      DeliveryReceipt fresh = reopened.deliver(Requests.request("ik-d"));

      assertThat(again.duplicate()).isTrue();
      assertThat(again.externalId()).isEqualTo("line-2");
      assertThat(fresh.duplicate()).isFalse();
      assertThat(fresh.externalId()).isEqualTo("line-4");
      assertThat(reopened.lineCount()).isEqualTo(4);
    }
    assertThat(lines(file))
        .extracting(l -> JSON.readTree(l).get("idempotencyKey").asText())
        .containsExactly("ik-a", "ik-b", "ik-c", "ik-d");
  }

  @Test
  void open_partialLastLineLeftByCrash_isCutOffBeforeAppending() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = open(file)) {
      channel.deliver(Requests.request("ik-a"));
      channel.deliver(Requests.request("ik-b"));
    }
    String complete = Files.readString(file);
    Files.writeString(
        file, "{\"idempotencyKey\":\"ik-partial\",\"custo", StandardOpenOption.APPEND);

    try (JsonLinesChannel reopened = open(file)) {
      assertThat(Files.readString(file)).isEqualTo(complete);
      DeliveryReceipt receipt = reopened.deliver(Requests.request("ik-partial"));

      assertThat(receipt.duplicate()).isFalse();
      assertThat(receipt.externalId()).isEqualTo("line-3");
    }
    List<String> lines = lines(file);
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      ActionRequest.fromJson(line);
    }
    assertThat(Files.readString(file)).startsWith(complete).endsWith("\n");
  }

  @Test
  void open_malformedCompleteLine_failsNamingTheLineWithoutItsContent() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = open(file)) {
      channel.deliver(Requests.request("ik-a"));
    }
    Files.writeString(file, "{\"customerId\":\"C-private-99\"}\n", StandardOpenOption.APPEND);

    ChannelException e = catchThrowableOfType(ChannelException.class, () -> open(file));

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("line 2 of " + file)
        .contains("is not a JSON object with an idempotencyKey")
        .doesNotContain("C-private-99");
  }

  @Test
  void open_nonJsonLines_failEachNamingTheLine() throws IOException {
    for (String bad :
        List.of(
            "not json",
            "[1,2]",
            "{\"idempotencyKey\":7}",
            "{\"idempotencyKey\":\"ik-x\"} trailing",
            "{\"idempotencyKey\":\"ik-x\"")) {
      Path file = dir.resolve("bad-" + Math.abs(bad.hashCode()) + ".jsonl");
      Files.writeString(file, bad + "\n");

      assertThatThrownBy(() -> open(file))
          .as(bad)
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("line 1 of");
    }
  }

  @Test
  void open_failedOnMalformedFile_leavesItUnlockedForRepair() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    Files.writeString(file, "oops\n");
    assertThatThrownBy(() -> open(file)).isInstanceOf(ChannelException.class);

    Files.writeString(file, "");
    try (JsonLinesChannel repaired = open(file)) {
      assertThat(repaired.deliver(Requests.request("ik-a")).externalId()).isEqualTo("line-1");
    }
  }

  @Test
  void open_blankLines_areSkippedButCounted() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = open(file)) {
      channel.deliver(Requests.request("ik-a"));
    }
    Files.writeString(file, "\n", StandardOpenOption.APPEND);
    try (JsonLinesChannel reopened = open(file)) {
      assertThat(reopened.deliver(Requests.request("ik-a")).duplicate()).isTrue();
      assertThat(reopened.deliver(Requests.request("ik-b")).externalId()).isEqualTo("line-3");
    }
  }

  @Test
  void open_missingParentDirectories_areCreated() {
    Path file = dir.resolve("a/b/c/actions.jsonl");
    try (JsonLinesChannel channel = JsonLinesChannel.open(file)) {
      channel.deliver(Requests.request("ik-a"));

      assertThat(channel.path()).isEqualTo(file);
    }
    assertThat(file).exists();
  }

  @Test
  void open_fileAlreadyOpenByAnotherChannel_failsUntilClosed() {
    Path file = dir.resolve("actions.jsonl");
    JsonLinesChannel first = open(file);
    try {
      assertThatThrownBy(() -> open(dir.resolve("x/../actions.jsonl")))
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("is already open by another JsonLinesChannel");

      first.deliver(Requests.request("ik-a"));
    } finally {
      first.close();
    }
    try (JsonLinesChannel second = open(file)) {
      assertThat(second.deliver(Requests.request("ik-a")).duplicate()).isTrue();
    }
  }

  @Test
  void deliver_concurrentThreads_writeExactlyOneWellFormedLinePerKey() throws Exception {
    Path file = dir.resolve("concurrent.jsonl");
    int threads = 8;
    int perThread = 100;
    int shared = 20;
    List<DeliveryReceipt> receipts = new ArrayList<>();
    try (JsonLinesChannel channel = open(file)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<DeliveryReceipt>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<List<DeliveryReceipt>> work =
            () -> {
              start.await();
              List<DeliveryReceipt> mine = new ArrayList<>();
              for (int i = 0; i < perThread; i++) {
                mine.add(channel.deliver(Requests.request("ik-" + thread + "-" + i)));
                if (i < shared) {
                  mine.add(channel.deliver(Requests.request("ik-shared-" + i)));
                }
              }
              return mine;
            };
        futures.add(pool.submit(work));
      }
      start.countDown();
      for (Future<List<DeliveryReceipt>> f : futures) {
        receipts.addAll(f.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertThat(channel.lineCount()).isEqualTo(threads * perThread + shared);
    }

    List<String> lines = lines(file);
    assertThat(lines).hasSize(threads * perThread + shared);
    Set<String> keys = new HashSet<>();
    for (String line : lines) {
      keys.add(ActionRequest.fromJson(line).idempotencyKey());
    }
    assertThat(keys).hasSize(threads * perThread + shared);
    assertThat(receipts).filteredOn(r -> !r.duplicate()).hasSize(threads * perThread + shared);
    assertThat(receipts).filteredOn(DeliveryReceipt::duplicate).hasSize((threads - 1) * shared);
    assertThat(receipts)
        .filteredOn(r -> !r.duplicate())
        .extracting(DeliveryReceipt::externalId)
        .doesNotHaveDuplicates();
  }

  @Test
  void syncEachLineOff_linesSurviveCloseAndReopen() throws IOException {
    Path file = dir.resolve("bulk.jsonl");
    try (JsonLinesChannel bulk =
        JsonLinesChannel.builder(file).syncEachLine(false).name("export").build()) {
      for (int i = 0; i < 50; i++) {
        assertThat(bulk.deliver(Requests.request("ik-" + i)).channel()).isEqualTo("export");
      }
      assertThat(bulk.toString())
          .isEqualTo("JsonLinesChannel[name=export, path=" + file + ", syncEachLine=false]");
    }
    assertThat(lines(file)).hasSize(50);
    try (JsonLinesChannel reopened = open(file)) {
      assertThat(reopened.deliver(Requests.request("ik-49")).duplicate()).isTrue();
    }
  }

  @Test
  void close_twice_isQuietAndLaterDeliveryIsRejected() {
    JsonLinesChannel channel = open(dir.resolve("actions.jsonl"));
    channel.close();
    channel.close();

    assertThatThrownBy(() -> channel.deliver(Requests.request("ik-a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("channel 'jsonl' is closed");
  }

  private FaultyFileChannel faulty;

  private JsonLinesChannel openFaulty(Path file, boolean sync) {
    return JsonLinesChannel.builder(file)
        .clock(CLOCK)
        .syncEachLine(sync)
        .opener(f -> faulty = new FaultyFileChannel(f))
        .build();
  }

  @Test
  void deliver_writeFailsHalfway_cutsTheFileBackAndFailsRetryably() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = openFaulty(file, true)) {
      channel.deliver(Requests.request("ik-a"));
      String before = Files.readString(file);
      faulty.failNextWriteHalfway = true;

      ChannelException e =
          catchThrowableOfType(
              ChannelException.class,
              () -> channel.deliver(Requests.request("ik-b", Requests.CUSTOMER)));

      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage())
          .contains("could not append to")
          .contains("IOException")
          .doesNotContain(Requests.CUSTOMER);
      assertThat(Files.readString(file)).isEqualTo(before);
      DeliveryReceipt retried = channel.deliver(Requests.request("ik-b"));
      assertThat(retried.duplicate()).isFalse();
      assertThat(retried.externalId()).isEqualTo("line-2");
    }
    assertThat(lines(file))
        .hasSize(2)
        .allSatisfy(l -> assertThat(ActionRequest.fromJson(l)).isNotNull());
  }

  @Test
  void deliver_failedWriteCannotBeUndone_refusesWritesUntilReopened() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = openFaulty(file, true)) {
      channel.deliver(Requests.request("ik-a"));
      faulty.failNextWriteHalfway = true;
      faulty.failTruncates = true;

      ChannelException failed =
          catchThrowableOfType(
              ChannelException.class, () -> channel.deliver(Requests.request("ik-b")));
      ChannelException refused =
          catchThrowableOfType(
              ChannelException.class, () -> channel.deliver(Requests.request("ik-c")));

      assertThat(failed.retryable()).isFalse();
      assertThat(refused.retryable()).isFalse();
      assertThat(refused.getMessage()).contains("reopen the channel");
    }
    try (JsonLinesChannel reopened = open(file)) {
      assertThat(reopened.deliver(Requests.request("ik-a")).duplicate()).isTrue();
      assertThat(reopened.deliver(Requests.request("ik-b")).externalId()).isEqualTo("line-2");
    }
    assertThat(lines(file)).hasSize(2);
  }

  @Test
  void deliver_forceFails_isPermanentAndReopeningFindsTheWrittenLine() {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = openFaulty(file, true)) {
      faulty.failForces = true;

      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> channel.deliver(Requests.request("ik-a")));

      assertThat(e.retryable()).isFalse();
      assertThat(e.getCause()).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> channel.deliver(Requests.request("ik-b")))
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("reopen the channel");
    }
    try (JsonLinesChannel reopened = open(file)) {
      assertThat(reopened.deliver(Requests.request("ik-a")).duplicate()).isTrue();
    }
  }

  @Test
  void deliver_concurrentWithSync_returnsOnlyOnceItsLineIsForced() throws Exception {
    Path file = dir.resolve("durable.jsonl");
    int threads = 8;
    int perThread = 40;
    List<long[]> observed = java.util.Collections.synchronizedList(new ArrayList<>());
    try (JsonLinesChannel channel = openFaulty(file, true)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    DeliveryReceipt r = channel.deliver(Requests.request("ik-" + thread + "-" + i));
                    long line = Long.parseLong(r.externalId().substring("line-".length()));
                    observed.add(new long[] {line, faulty.forcedUpTo.get()});
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
    }

    List<String> lines = lines(file);
    long[] endOf = new long[lines.size() + 1];
    for (int i = 0; i < lines.size(); i++) {
      endOf[i + 1] = endOf[i] + lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
    }
    assertThat(observed)
        .hasSize(threads * perThread)
        .allSatisfy(
            o ->
                assertThat(o[1])
                    .as("forced bytes when line %d returned", o[0])
                    .isGreaterThanOrEqualTo(endOf[(int) o[0]]));
  }

  @Test
  void syncEachLineOff_forcesOnlyOnClose() throws IOException {
    Path file = dir.resolve("bulk.jsonl");
    JsonLinesChannel bulk = openFaulty(file, false);
    for (int i = 0; i < 20; i++) {
      bulk.deliver(Requests.request("ik-" + i));
    }
    assertThat(faulty.forces).hasValue(0);

    bulk.close();

    assertThat(faulty.forces).hasValue(1);
    assertThat(faulty.forcedUpTo).hasValue(Files.size(file));
  }

  @Test
  void builder_blankName_isRejected() {
    assertThatThrownBy(() -> JsonLinesChannel.builder(dir.resolve("a.jsonl")).name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank");
  }
}
