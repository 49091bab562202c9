package dev.opagent.flink;

import dev.opagent.agent.event.CustomerEvents;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.flink.internal.CustomersFile;
import dev.opagent.flink.internal.KeyedStateDirectory;
import dev.opagent.flink.internal.ParsedEvent;
import dev.opagent.flink.internal.PreparedEvent;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first half of the loop, keyed by customer: {@link EventProcessor#prepare} against a {@link
 * KeyedStateDirectory}, so that a purchase is added to the customer's data and an unsubscribe
 * withdraws their consent in keyed state (with a time to live), checkpointed with the operator. A
 * customer not yet in state is read from the configured customers file, of which each subtask keeps
 * the customers it owns.
 */
final class PrepareEvents extends KeyedProcessFunction<String, ParsedEvent, PreparedEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PrepareEvents.class);

  private final EventJobConfig config;

  private transient Wiring.@Nullable Preparer preparer;
  private transient KeyedProcessFunction<String, ParsedEvent, PreparedEvent>.@Nullable Context
      current;

  PrepareEvents(EventJobConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public void open(OpenContext context) {
    StateTtlConfig ttl =
        StateTtlConfig.newBuilder(config.customerStateTtl())
            .updateTtlOnCreateAndWrite()
            .neverReturnExpired()
            .build();
    ValueStateDescriptor<String> dataDescriptor =
        new ValueStateDescriptor<>("customer-data", Types.STRING);
    dataDescriptor.enableTimeToLive(ttl);
    MapStateDescriptor<String, Long> withdrawnDescriptor =
        new MapStateDescriptor<>("withdrawn-consents", Types.STRING, Types.LONG);
    withdrawnDescriptor.enableTimeToLive(ttl);
    ValueState<String> data = getRuntimeContext().getState(dataDescriptor);
    MapState<String, Long> withdrawn = getRuntimeContext().getMapState(withdrawnDescriptor);

    CustomersFile customers = CustomersFile.empty();
    String file = config.customersFile();
    if (file != null) {
      TaskInfo task = getRuntimeContext().getTaskInfo();
      int max = task.getMaxNumberOfParallelSubtasks();
      int parallelism = task.getNumberOfParallelSubtasks();
      int index = task.getIndexOfThisSubtask();
      customers =
          CustomersFile.read(
              Path.of(file),
              id ->
                  KeyGroupRangeAssignment.assignKeyToParallelOperator(id, max, parallelism)
                      == index);
      LOG.info(
          "subtask {} of {}: {} initial customers read, {} lines not customers",
          index,
          parallelism,
          customers.size(),
          customers.skipped());
    }
    CustomersFile initial = customers;
    KeyedStateDirectory directory =
        new KeyedStateDirectory(this::currentKey, data, withdrawn, initial::find);
    preparer = Wiring.preparer(config, directory);
  }

  private String currentKey() {
    KeyedProcessFunction<String, ParsedEvent, PreparedEvent>.@Nullable Context c = current;
    if (c == null) {
      throw new IllegalStateException("the customer directory is read within an event only");
    }
    return c.getCurrentKey();
  }

  @Override
  public void processElement(ParsedEvent event, Context ctx, Collector<PreparedEvent> out) {
    Wiring.Preparer p = Objects.requireNonNull(preparer, "opened");
    current = ctx;
    try {
      EventProcessor.Prepared prepared =
          p.processor().prepare(CustomerEvents.fromJson(event.json()));
      out.collect(PreparedEvent.of(event, prepared));
    } finally {
      current = null;
    }
  }

  @Override
  public void close() {
    Wiring.@Nullable Preparer p = preparer;
    preparer = null;
    if (p != null) {
      p.close();
    }
  }
}
