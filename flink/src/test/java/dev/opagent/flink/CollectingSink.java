package dev.opagent.flink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink into this JVM's memory, by name, for jobs on the test's mini cluster. At least once: a
 * restarted job writes again what it wrote after its last checkpoint.
 */
final class CollectingSink implements Sink<String> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, ConcurrentLinkedQueue<String>> RECEIVED =
      new ConcurrentHashMap<>();

  private final String name;

  CollectingSink(String name) {
    this.name = name;
    RECEIVED.put(name, new ConcurrentLinkedQueue<>());
  }

  static List<String> received(String name) {
    return List.copyOf(RECEIVED.getOrDefault(name, new ConcurrentLinkedQueue<>()));
  }

  @Override
  public SinkWriter<String> createWriter(WriterInitContext context) {
    ConcurrentLinkedQueue<String> into = RECEIVED.get(name);
    return new SinkWriter<>() {
      @Override
      public void write(String element, Context ctx) {
        into.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
