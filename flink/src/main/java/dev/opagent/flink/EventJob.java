package dev.opagent.flink;

import dev.opagent.flink.internal.ParsedEvent;
import dev.opagent.flink.internal.PreparedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.jspecify.annotations.Nullable;

/**
 * The event-driven loop as an Apache Flink DataStream job, built from the same rules, policy,
 * decision engine and operating store as {@code EventProcessor} in process:
 *
 * <ol>
 *   <li>a source of JSON-lines events — files for replays, the Kafka topic {@value #EVENTS_TOPIC}
 *       in production — read as {@link EventLine}s; a line that is no event goes to {@link
 *       #INVALID_EVENTS} with its place and what is wrong, never its text;
 *   <li>watermarks from each event's {@code at}, trailing by {@link
 *       EventJobConfig#outOfOrderness()};
 *   <li>keyed by customer: {@code EventProcessor.prepare} with the customer's data and withdrawn
 *       consents in keyed state;
 *   <li>{@code AsyncDataStream.orderedWait}: the segment agent asked about the events that need the
 *       customer's analysis, each subtask within its share of the endpoint's quota;
 *   <li>keyed by customer again: {@code EventProcessor.complete}, in each customer's order, against
 *       the shared operating store; scheduled actions kept by key in keyed state and delivered on a
 *       timer at their due time;
 *   <li>one JSON record per event (and per delivery of due actions) out: the Kafka topic {@value
 *       #OUTCOMES_TOPIC} in production.
 * </ol>
 *
 * Run it with checkpointing on (exactly-once mode): a restarted job resumes from its last
 * checkpoint, replays the events read since, and the operating store's journal, whose idempotency
 * keys and claims make a replayed decision find its earlier entry, keeps every action delivered
 * once. See the module's documentation for the command line and what each failure survives.
 *
 * <pre>{@code
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
 * env.enableCheckpointing(60_000);
 * EventJob.Streams out = EventJob.build(EventJob.readKafka(env, "kafka:9092", "opagent.events", "opagent"), config);
 * out.outcomes().sinkTo(...);
 * out.invalidEvents().sinkTo(...);
 * env.execute("opagent events");
 * }</pre>
 */
public final class EventJob {
  /** The topic events are read from unless told otherwise. */
  public static final String EVENTS_TOPIC = "opagent.events";

  /** The topic outcomes are written to unless told otherwise. */
  public static final String OUTCOMES_TOPIC = "opagent.outcomes";

  /** The topic invalid events are reported to unless told otherwise. */
  public static final String INVALID_TOPIC = "opagent.events.invalid";

  /**
   * Lines that are no event, as {@code {"source", "line", "field", "error"}}: the side output of
   * the parsing operator, which {@link Streams#invalidEvents()} is.
   */
  public static final OutputTag<String> INVALID_EVENTS =
      new OutputTag<>("invalid-events", Types.STRING);

  private EventJob() {}

  /**
   * The job's two outputs.
   *
   * @param outcomes one JSON record per event ({@code "kind": "event"}: stage, action keys,
   *     withdrawals) and per delivery of a customer's due actions ({@code "kind": "delivery"})
   * @param invalidEvents one JSON record per line that is no event: its source, line number (or
   *     offset), field and what is wrong
   */
  public record Streams(DataStream<String> outcomes, DataStream<String> invalidEvents) {}

  /** The lines of JSON-lines files, numbered from 1 in each file, read once (bounded). */
  public static DataStream<EventLine> readFiles(StreamExecutionEnvironment env, Path... files) {
    if (files.length == 0) {
      throw new IllegalArgumentException("readFiles needs at least one file");
    }
    DataStream<EventLine> all = null;
    for (Path file : files) {
      String name = file.toAbsolutePath().normalize().toString();
      FileSource<EventLine> source =
          FileSource.forRecordStreamFormat(
                  new NumberedLines(name), new org.apache.flink.core.fs.Path(file.toUri()))
              .build();
      DataStream<EventLine> lines =
          env.fromSource(source, WatermarkStrategy.noWatermarks(), "events " + file.getFileName())
              .uid("events-file-" + name.hashCode());
      all = all == null ? lines : all.union(lines);
    }
    return Objects.requireNonNull(all);
  }

  /**
   * The records of a Kafka topic, each numbered by its offset, from the group's committed offsets
   * (the earliest for a new group); Flink's checkpoints hold the offsets it resumes from.
   */
  public static DataStream<EventLine> readKafka(
      StreamExecutionEnvironment env, String bootstrapServers, String topic, String groupId) {
    KafkaSource<EventLine> source =
        KafkaSource.<EventLine>builder()
            .setBootstrapServers(bootstrapServers)
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setDeserializer(new KafkaLines())
            .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "events " + topic)
        .uid("events-kafka");
  }

  /**
   * Builds the job on {@code lines}: parse, watermark, prepare (keyed), segment (async, ordered),
   * complete (keyed). Operators carry stable uids ({@code parse-events}, {@code prepare-events},
   * {@code segment-events}, {@code complete-events}), so savepoints survive changes around them.
   */
  public static Streams build(DataStream<EventLine> lines, EventJobConfig config) {
    Objects.requireNonNull(config, "config");
    SingleOutputStreamOperator<ParsedEvent> parsed =
        lines
            .process(new ParseEvents(), TypeInformation.of(ParsedEvent.class))
            .name("parse events")
            .uid("parse-events");
    DataStream<String> invalid = parsed.getSideOutput(INVALID_EVENTS);

    WatermarkStrategy<ParsedEvent> watermarks =
        WatermarkStrategy.<ParsedEvent>forBoundedOutOfOrderness(config.outOfOrderness())
            .withTimestampAssigner((event, previous) -> event.at());
    if (!config.sourceIdleness().isZero()) {
      watermarks = watermarks.withIdleness(config.sourceIdleness());
    }
    DataStream<ParsedEvent> timed =
        parsed.assignTimestampsAndWatermarks(watermarks).name("event time").uid("event-time");

    SingleOutputStreamOperator<PreparedEvent> prepared =
        timed
            .keyBy(ParsedEvent::customerId, Types.STRING)
            .process(new PrepareEvents(config), TypeInformation.of(PreparedEvent.class))
            .name("prepare events")
            .uid("prepare-events");

    SingleOutputStreamOperator<PreparedEvent> segmented =
        AsyncDataStream.orderedWait(
                prepared,
                new SegmentEvents(config),
                config.segmentTimeout().toMillis(),
                TimeUnit.MILLISECONDS,
                config.segmentCapacity())
            .returns(TypeInformation.of(PreparedEvent.class))
            .name("segment customers")
            .uid("segment-events");

    SingleOutputStreamOperator<String> outcomes =
        segmented
            .keyBy(PreparedEvent::customerId, Types.STRING)
            .process(new CompleteEvents(config), Types.STRING)
            .name("decide and deliver")
            .uid("complete-events");
    return new Streams(outcomes, invalid);
  }

  /**
   * Submits the job: {@code flink run -c dev.opagent.flink.EventJob opagent-flink-job.jar
   * --bootstrap-servers kafka:9092 --store jdbc:postgresql://db/opagent --channel webhook:URL ...};
   * {@code --help} lists every argument.
   */
  public static void main(String[] args) throws Exception {
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("opagent event job: " + e.getMessage());
      System.err.println(Arguments.USAGE);
      System.exit(2);
      return;
    }
    if (a.help) {
      System.out.println(Arguments.USAGE);
      return;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
      env.enableCheckpointing(a.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }
    DataStream<EventLine> lines =
        a.eventFiles.isEmpty()
            ? readKafka(env, a.required("--bootstrap-servers"), a.eventsTopic, a.groupId)
            : readFiles(env, a.eventFiles.toArray(Path[]::new));
    Streams out = build(lines, a.config());
    if (a.outputDir != null) {
      out.outcomes()
          .sinkTo(fileSink(a.outputDir.resolve("outcomes")))
          .name("outcomes file")
          .uid("outcomes-file");
      out.invalidEvents()
          .sinkTo(fileSink(a.outputDir.resolve("invalid")))
          .name("invalid events file")
          .uid("invalid-file");
    } else {
      String servers = a.required("--bootstrap-servers");
      out.outcomes()
          .sinkTo(kafkaSink(servers, a.outcomesTopic, a.guarantee, "opagent-outcomes"))
          .name("outcomes " + a.outcomesTopic)
          .uid("outcomes-kafka");
      out.invalidEvents()
          .sinkTo(kafkaSink(servers, a.invalidTopic, a.guarantee, "opagent-invalid"))
          .name("invalid events " + a.invalidTopic)
          .uid("invalid-kafka");
    }
    env.execute(a.jobName);
  }

  /** A sink of JSON lines into rolling files under {@code dir}, committed on checkpoints. */
  static FileSink<String> fileSink(Path dir) {
    return FileSink.forRowFormat(
            new org.apache.flink.core.fs.Path(dir.toUri()), new SimpleStringEncoder<String>())
        .build();
  }

  /**
   * A sink of records into a Kafka topic: at least once (a record may be written again after a
   * restart) or exactly once (Kafka transactions committed on checkpoints; read the topic with
   * {@code isolation.level=read_committed}).
   */
  static KafkaSink<String> kafkaSink(
      String bootstrapServers,
      String topic,
      DeliveryGuarantee guarantee,
      String transactionPrefix) {
    return KafkaSink.<String>builder()
        .setBootstrapServers(bootstrapServers)
        .setRecordSerializer(
            KafkaRecordSerializationSchema.builder()
                .setTopic(topic)
                .setValueSerializationSchema(new SimpleStringSchema())
                .build())
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(transactionPrefix)
        .build();
  }

  /** The command line of {@link #main}. */
  static final class Arguments {
    static final String USAGE =
        String.join(
            System.lineSeparator(),
            "usage: flink run -c dev.opagent.flink.EventJob opagent-flink-job.jar [OPTIONS]",
            "",
            "Events (one of):",
            "  --bootstrap-servers HOSTS   Kafka brokers; events from --events-topic",
            "  --events-topic TOPIC        default " + EVENTS_TOPIC,
            "  --group-id ID               consumer group, default opagent-flink",
            "  --events-file FILE          a JSON-lines file instead of Kafka (repeatable)",
            "Outputs:",
            "  --outcomes-topic TOPIC      default " + OUTCOMES_TOPIC,
            "  --invalid-topic TOPIC       default " + INVALID_TOPIC,
            "  --exactly-once-outputs      Kafka transactions instead of at-least-once",
            "  --output-dir DIR            outcomes/ and invalid/ files instead of Kafka",
            "Loop:",
            "  --store JDBC_URL            operating store (required); password from"
                + " $OPAGENT_STORE_PASSWORD",
            "  --store-user USER           default sa",
            "  --channel SPEC              jsonl:PATH, webhook:URL or log (repeatable, required)",
            "  --rules FILE                campaign rules (default: the bundled ones)",
            "  --policy FILE               decision policy (default: the bundled one)",
            "  --customers FILE            customers' data before any event (JSON lines)",
            "  --consent CHANNELS          assumed consent, e.g. email,push",
            "  --agent-arn ARN             segment agent (default: the reference segmenter)",
            "  --agent-region REGION       default: the ARN's",
            "  --agent-quota N             the endpoint's requests/s for the whole job, default 25",
            "  --segment-capacity N        segment calls in flight per subtask, default 100",
            "  --segment-timeout DURATION  default PT20M",
            "  --clock system|event-time   default system",
            "  --out-of-orderness DURATION default PT1M",
            "  --idleness DURATION         default PT1M (PT0S: never)",
            "  --sweep-interval DURATION   backstop for due actions no timer holds, default PT5M",
            "  --checkpoint-interval DURATION  when the cluster sets none, default PT1M",
            "  --job-name NAME             default opagent events");

    boolean help;
    final List<Path> eventFiles = new ArrayList<>();
    @Nullable String bootstrapServers;
    String eventsTopic = EVENTS_TOPIC;
    String groupId = "opagent-flink";
    String outcomesTopic = OUTCOMES_TOPIC;
    String invalidTopic = INVALID_TOPIC;
    DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
    @Nullable Path outputDir;
    Duration checkpointInterval = Duration.ofMinutes(1);
    String jobName = "opagent events";
    final EventJobConfig.Builder config = EventJobConfig.builder();
    boolean storeSet;
    boolean channelSet;

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (name.equals("--help") || name.equals("-h")) {
          a.help = true;
          continue;
        }
        if (name.equals("--exactly-once-outputs")) {
          a.guarantee = DeliveryGuarantee.EXACTLY_ONCE;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args[++i];
        a.set(name, value);
      }
      if (!a.help) {
        if (!a.storeSet) {
          throw new IllegalArgumentException("--store is required");
        }
        if (!a.channelSet) {
          throw new IllegalArgumentException("--channel is required");
        }
        if (a.eventFiles.isEmpty() && a.bootstrapServers == null) {
          throw new IllegalArgumentException("give --bootstrap-servers or --events-file");
        }
      }
      return a;
    }

    private void set(String name, String value) {
      switch (name) {
        case "--bootstrap-servers" -> bootstrapServers = value;
        case "--events-topic" -> eventsTopic = value;
        case "--group-id" -> groupId = value;
        case "--events-file" -> eventFiles.add(Path.of(value));
        case "--outcomes-topic" -> outcomesTopic = value;
        case "--invalid-topic" -> invalidTopic = value;
        case "--output-dir" -> outputDir = Path.of(value);
        case "--store" -> {
          config.store(value, "sa");
          storeSet = true;
        }
        case "--store-user" -> storeUser = value;
        case "--channel" -> {
          config.addChannel(value);
          channelSet = true;
        }
        case "--rules" -> config.rules(Path.of(value));
        case "--policy" -> config.policy(Path.of(value));
        case "--customers" -> config.customersFile(Path.of(value));
        case "--consent" -> config.consents(Arrays.asList(value.split(",")));
        case "--agent-arn" -> config.agentArn(value);
        case "--agent-region" -> config.agentRegion(value);
        case "--agent-quota" -> config.agentRequestsPerSecond(number(name, value));
        case "--segment-capacity" -> config.segmentCapacity((int) number(name, value));
        case "--segment-timeout" -> config.segmentTimeout(duration(name, value));
        case "--clock" -> config.clock(clock(value));
        case "--out-of-orderness" -> config.outOfOrderness(duration(name, value));
        case "--idleness" -> config.sourceIdleness(duration(name, value));
        case "--sweep-interval" -> config.sweepInterval(duration(name, value));
        case "--checkpoint-interval" -> checkpointInterval = duration(name, value);
        case "--job-name" -> jobName = value;
        default -> throw new IllegalArgumentException("unknown argument " + name);
      }
    }

    private @Nullable String storeUser;

    EventJobConfig config() {
      EventJobConfig c = config.build();
      String user = storeUser;
      return user == null ? c : c.toBuilder().store(c.storeUrl(), user).build();
    }

    String required(String name) {
      if (!name.equals("--bootstrap-servers") || bootstrapServers == null) {
        throw new IllegalArgumentException(name + " is required");
      }
      return bootstrapServers;
    }

    private static double number(String name, String value) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number but was '" + value + "'");
      }
    }

    private static Duration duration(String name, String value) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            name + " must be an ISO-8601 duration such as PT1M but was '" + value + "'");
      }
    }

    private static EventJobConfig.ClockMode clock(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "system" -> EventJobConfig.ClockMode.SYSTEM;
        case "event-time", "event_time" -> EventJobConfig.ClockMode.EVENT_TIME;
        default ->
            throw new IllegalArgumentException(
                "--clock must be system or event-time but was '" + value + "'");
      };
    }
  }
}
