package dev.opagent.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.CustomerEvents;
import dev.opagent.agent.event.InvalidEventException;
import dev.opagent.flink.internal.ParsedEvent;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.jspecify.annotations.Nullable;

/**
 * Reads each line as a customer event. A line that is one goes on, keyed later by its customer and
 * timed by its {@code at}; a line that is not goes to {@link EventJob#INVALID_EVENTS} as {@code
 * {"source", "line", "field", "error"}} — its place and what is wrong, never its text (events carry
 * personal data) — and is counted in the metric {@code invalidEvents}. Blank lines are skipped.
 */
final class ParseEvents extends ProcessFunction<EventLine, ParsedEvent> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private transient @Nullable Counter invalid;

  @Override
  public void open(OpenContext context) {
    invalid = getRuntimeContext().getMetricGroup().counter("invalidEvents");
  }

  @Override
  public void processElement(EventLine line, Context ctx, Collector<ParsedEvent> out) {
    if (line.text().isBlank()) {
      return;
    }
    String field;
    String error;
    try {
      CustomerEvent event = CustomerEvents.fromJson(line.text());
      out.collect(
          new ParsedEvent(
              line.source(),
              line.number(),
              event.customerId(),
              event.at().toEpochMilli(),
              line.text()));
      return;
    } catch (InvalidEventException e) {
      field = e.field();
      error = Objects.requireNonNullElse(e.getMessage(), "is invalid");
    } catch (ArithmeticException e) {
      field = "at";
      error = "at is out of the range of event times";
    }
    Counter c = invalid;
    if (c != null) {
      c.inc();
    }
    ctx.output(EventJob.INVALID_EVENTS, invalidJson(line, field, error));
  }

  /** The invalid event's record: where it was and what is wrong, without the line's text. */
  static String invalidJson(EventLine line, String field, String error) {
    ObjectNode o = JSON.createObjectNode();
    o.put("source", line.source());
    o.put("line", line.number());
    o.put("field", field);
    o.put("error", error);
    return o.toString();
  }
}
