package dev.opagent.channels.inbound;

import java.util.LinkedHashMap;
import java.util.Map;

/** The most recent ids in memory, oldest forgotten first. Thread-safe. */
final class InMemoryDeduplicator implements Deduplicator {
  private final Map<String, Boolean> seen;

  InMemoryDeduplicator(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
    }
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public synchronized boolean claim(String id) {
    return seen.putIfAbsent(id, Boolean.TRUE) == null;
  }

  @Override
  public synchronized void release(String id) {
    seen.remove(id);
  }
}
