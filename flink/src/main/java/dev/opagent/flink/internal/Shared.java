package dev.opagent.flink.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Resources the subtasks of one process share, by name, counted: the first to acquire one opens it,
 * the last to release it closes it. One operating store per database and one JSON-lines channel per
 * file in a task manager, whatever the number of slots: an embedded database and a locked file can
 * be opened once per process only. Thread-safe.
 */
public final class Shared {
  private static final Map<String, Entry> OPEN = new HashMap<>();

  private Shared() {}

  private static final class Entry {
    final AutoCloseable resource;
    int users;

    Entry(AutoCloseable resource) {
      this.resource = resource;
    }
  }

  /** A use of a shared resource; closing it releases the use. Not thread-safe. */
  public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
    private final String name;
    private final T resource;
    private boolean released;

    private Lease(String name, T resource) {
      this.name = name;
      this.resource = resource;
    }

    /** The resource. */
    public T get() {
      if (released) {
        throw new IllegalStateException("the lease of " + name + " was released");
      }
      return resource;
    }

    /** Releases this use; the last one closes the resource. Idempotent. */
    @Override
    public void close() throws Exception {
      if (released) {
        return;
      }
      released = true;
      release(name);
    }
  }

  /**
   * The resource named {@code name}, opened by {@code opener} if no subtask of this process holds
   * it.
   *
   * @throws ClassCastException if {@code name} is held as a resource of another type
   */
  public static synchronized <T extends AutoCloseable> Lease<T> acquire(
      String name, Class<T> type, Supplier<T> opener) {
    Objects.requireNonNull(name, "name");
    Entry e = OPEN.get(name);
    if (e == null) {
      e = new Entry(Objects.requireNonNull(opener.get(), "opened resource"));
      OPEN.put(name, e);
    }
    T resource = type.cast(e.resource);
    e.users++;
    return new Lease<>(name, resource);
  }

  /** Closes the resource with its last use, under the lock, so that no one reopens it meanwhile. */
  private static synchronized void release(String name) throws Exception {
    Entry e = OPEN.get(name);
    if (e != null && --e.users == 0) {
      OPEN.remove(name);
      e.resource.close();
    }
  }
}
