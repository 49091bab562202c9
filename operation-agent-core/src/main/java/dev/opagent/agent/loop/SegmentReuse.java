package dev.opagent.agent.loop;

import dev.opagent.agent.spi.SegmentStore;
import dev.opagent.agent.spi.StoredAnalysis;
import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.segment.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments a round's customers through a {@link SegmentStore}: a customer whose stored analysis was
 * made by the same agent from the same data (equal {@link CustomerData#canonicalHash()}) less than
 * {@code maxAge} ago is answered from the store; the others are asked in one batch; the agent's
 * answers are saved; and a customer the agent failed with a retryable error is answered from the
 * store when its analysis of the same data is at most {@code staleLimit} old. Without a store, the
 * batch goes to the client unchanged. Thread-safe (immutable; each call's state is its own).
 *
 * <p>A store that fails to read or save is logged and bypassed: the round asks the agent about
 * every customer, or keeps its answers only for itself.
 */
final class SegmentReuse {
  private static final Logger LOG = LoggerFactory.getLogger(OperationAgent.class);

  private final SegmentClient client;
  private final @Nullable SegmentStore store;
  private final BatchOptions options;
  private final Clock clock;
  private final Duration maxAge;
  private final Duration staleLimit;

  SegmentReuse(
      SegmentClient client,
      @Nullable SegmentStore store,
      BatchOptions options,
      Clock clock,
      Duration maxAge,
      Duration staleLimit) {
    this.client = client;
    this.store = store;
    this.options = options;
    this.clock = clock;
    this.maxAge = maxAge;
    this.staleLimit = staleLimit;
  }

  /**
   * The outcomes of a round's segmentation, one per customer in input order.
   *
   * @param outcomes one per customer
   * @param stored customers answered from the store
   * @param storedOnFailure of {@code stored}, those answered because the agent failed
   */
  record Result(List<SegmentOutcome> outcomes, long stored, long storedOnFailure) {}

  /** Segments {@code customers}: one outcome per customer, in input order. */
  Result analyzeAll(List<CustomerData> customers) {
    return analyzeAll(customers, Duration.ZERO);
  }

  /**
   * Segments {@code customers} as {@link #analyzeAll(List)} does, except that an analysis the same
   * agent made less than {@code debounce} ago is answered from the store even when the data changed
   * since: a customer whose events keep changing their data is asked about at most once per {@code
   * debounce}.
   */
  Result analyzeAll(List<CustomerData> customers, Duration debounce) {
    SegmentStore segmentStore = store;
    if (segmentStore == null) {
      return new Result(client.analyzeAll(customers, options), 0, 0);
    }
    String arn = client.config().agentRuntimeArn();
    String qualifier = client.config().qualifier();
    Instant now = clock.instant();
    int n = customers.size();
    @Nullable String[] hashes = new String[n];
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      hashes[i] = hash(customers.get(i));
      ids.add(customers.get(i).customerId());
    }
    Map<String, StoredAnalysis> found = find(segmentStore, ids, arn, qualifier);

    SegmentOutcome[] out = new SegmentOutcome[n];
    @Nullable SegmentAnalysis[] kept = new SegmentAnalysis[n];
    List<CustomerData> ask = new ArrayList<>();
    int[] asked = new int[n];
    long stored = 0;
    for (int i = 0; i < n; i++) {
      CustomerData data = customers.get(i);
      StoredAnalysis s = found.get(data.customerId());
      if (s != null
          && hashes[i] != null
          && s.madeBy(arn, qualifier)
          && (s.dataHash().equals(hashes[i]) || age(s, now).compareTo(debounce) < 0)) {
        kept[i] = read(s);
        if (kept[i] != null && age(s, now).compareTo(maxAge) < 0) {
          out[i] = new SegmentOutcome.Success(i, data.customerId(), kept[i], Source.STORED, 0);
          stored++;
          continue;
        }
      }
      asked[ask.size()] = i;
      ask.add(data);
    }

    List<SegmentOutcome> answers = ask.isEmpty() ? List.of() : client.analyzeAll(ask, options);
    List<StoredAnalysis> toSave = new ArrayList<>();
    long storedOnFailure = 0;
    for (int k = 0; k < answers.size(); k++) {
      int i = asked[k];
      SegmentOutcome o = answers.get(k);
      if (o instanceof SegmentOutcome.Success s) {
        out[i] =
            new SegmentOutcome.Success(i, s.customerId(), s.analysis(), s.source(), s.attempts());
        if (s.source() == Source.AGENT && hashes[i] != null) {
          toSave.add(
              new StoredAnalysis(
                  s.customerId(),
                  s.analysis().toJson(),
                  hashes[i],
                  now,
                  arn,
                  qualifier,
                  Source.AGENT));
        }
      } else {
        SegmentOutcome.Failure f = (SegmentOutcome.Failure) o;
        StoredAnalysis s = found.get(customers.get(i).customerId());
        if (f.retryable()
            && kept[i] != null
            && s != null
            && !staleLimit.isZero()
            && age(s, now).compareTo(staleLimit) <= 0) {
          out[i] =
              new SegmentOutcome.Success(i, s.customerId(), kept[i], Source.STORED, f.attempts());
          stored++;
          storedOnFailure++;
        } else {
          out[i] =
              new SegmentOutcome.Failure(
                  i,
                  f.customerId(),
                  f.code(),
                  f.message(),
                  f.retryable(),
                  f.attempts(),
                  f.requestId());
        }
      }
    }
    save(segmentStore, toSave);
    if (storedOnFailure > 0) {
      LOG.warn(
          "segment store: the agent failed for {} customers whose stored analyses (at most"
              + " {} old) were used instead",
          storedOnFailure,
          staleLimit);
    }
    LOG.info(
        "segment store: {} of {} customers answered from the store, {} asked the agent, {}"
            + " answers saved",
        stored - storedOnFailure,
        n,
        ask.size(),
        toSave.size());
    return new Result(Arrays.asList(out), stored, storedOnFailure);
  }

  private static @Nullable String hash(CustomerData data) {
    try {
      return data.canonicalHash();
    } catch (RuntimeException e) {
      return null; // not reusable, not saved: the agent is asked and judges the data
    }
  }

  private static Map<String, StoredAnalysis> find(
      SegmentStore store, Set<String> ids, String arn, String qualifier) {
    try {
      return store.find(ids, arn, qualifier);
    } catch (RuntimeException e) {
      LOG.warn(
          "segment store: reading the stored analyses failed ({}); asking the agent about"
              + " every customer",
          e.getClass().getName());
      return Map.of();
    }
  }

  private static void save(SegmentStore store, List<StoredAnalysis> toSave) {
    if (toSave.isEmpty()) {
      return;
    }
    try {
      store.saveAll(toSave);
    } catch (RuntimeException e) {
      LOG.warn(
          "segment store: saving {} analyses failed ({}); this round uses them, later rounds"
              + " ask the agent again",
          toSave.size(),
          e.getClass().getName());
    }
  }

  private static @Nullable SegmentAnalysis read(StoredAnalysis s) {
    try {
      return s.analysis();
    } catch (RuntimeException e) {
      return null; // unreadable: asked again, and replaced by the answer
    }
  }

  /** How old {@code s} is; an analysis dated after {@code now} (clock skew) counts as new. */
  private static Duration age(StoredAnalysis s, Instant now) {
    Duration age = Duration.between(s.analysedAt(), now);
    return age.isNegative() ? Duration.ZERO : age;
  }
}
