package dev.opagent.segment.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental server-sent-events parser: feed it the body's chunks as they arrive, in any sizes;
 * lines and events are reassembled across chunk boundaries (and multi-byte characters are never
 * split, because lines are decoded whole). Collects the {@code data} of each event. Not
 * thread-safe: one parser per response, fed by one subscriber.
 */
public final class SseParser {
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private final List<String> events = new ArrayList<>();
  private boolean hasData;
  private boolean lastWasCr;

  /** Feeds the next chunk. */
  public void feed(ByteBuffer chunk) {
    while (chunk.hasRemaining()) {
      byte b = chunk.get();
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // second half of CRLF
          continue;
        }
        endLine();
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
        continue;
      } else {
        line.write(b);
      }
      lastWasCr = false;
    }
  }

  /** Feeds a whole body at once. */
  public void feed(byte[] bytes) {
    feed(ByteBuffer.wrap(bytes));
  }

  /** Ends the stream: a final event not followed by a blank line is still delivered. */
  public List<String> finish() {
    if (line.size() > 0) {
      endLine();
    }
    dispatch();
    return List.copyOf(events);
  }

  /** The events completed so far. */
  public List<String> events() {
    return List.copyOf(events);
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      return; // comment
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    }
  }

  private void dispatch() {
    if (hasData) {
      events.add(data.toString());
    }
    data.setLength(0);
    hasData = false;
  }
}
