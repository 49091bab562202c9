package dev.opagent.agent.execution.channels;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON line per delivered action to a file, durably, and never writes an idempotency
 * key twice. Thread-safe: appends are serialized.
 *
 * <p>Each line is the action's {@link ActionRequest#toJsonNode() JSON form} (so {@link
 * ActionRequest#fromJson} reads it back) plus {@code deliveredAt} (ISO-8601) and {@code
 * deliveryChannel} (this channel's name); {@code channel} stays the decision's channel id. A line
 * is written with one positional write and, by default, forced to the storage device ({@link
 * FileChannel#force(boolean) force(false)}, which includes the file's new length) before {@link
 * #deliver} returns, so an action is on disk before the executor marks it done. Threads delivering
 * at once share forces (one force covers every line appended while the previous one ran), so
 * durable throughput grows with the executor's concurrency.
 *
 * <p>On opening, the channel reads the keys already in the file; delivering a known key writes
 * nothing and returns a {@link DeliveryReceipt#duplicate() duplicate} receipt pointing at the
 * earlier line. A last line without its newline, left by a crash in the middle of a write, is cut
 * off before anything is appended. The file is locked while open, so a second channel on it (in
 * this process or another, and by whatever name: a symbolic or hard link, {@code ..} or a relative
 * path reach the same file) fails to open instead of breaking deduplication. The keys are held in
 * memory, about 150 bytes per line, up to {@link Builder#maxKeys} (default {@value
 * #DEFAULT_MAX_KEYS}); a full channel refuses new keys rather than forget old ones, so rotate files
 * (one per round, say) rather than letting one grow without end. The external id of a receipt is
 * {@code line-<n>}, the 1-based line number.
 *
 * <pre>{@code
 * try (JsonLinesChannel actions = JsonLinesChannel.open(Path.of("out/actions.jsonl"))) {
 *   DeliveryReceipt receipt = actions.deliver(request);   // line-1
 *   actions.deliver(request).duplicate();                 // true; nothing written
 * }
 * }</pre>
 */
public final class JsonLinesChannel implements ActionChannel {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesChannel.class);
  private static final ObjectMapper MAPPER = Json.MAPPER;
  private static final int READ_CHUNK = 1 << 16;

  /** The default of {@link Builder#maxKeys}: {@value}. */
  public static final int DEFAULT_MAX_KEYS = 1_000_000;

  /**
   * Files open in this JVM, by identity (file key, else real path): a second descriptor's close
   * would drop the first one's OS lock, whatever name the second was opened by.
   */
  private static final Set<Object> OPEN = ConcurrentHashMap.newKeySet();

  private final String name;
  private final Path path;
  private final Object openKey;
  private final boolean syncEachLine;
  private final int maxKeys;
  private final Clock clock;
  private final FileChannel file;
  private final FileLock lock;

  /** Guards the file's content, size, keys and state; taken after {@link #forces}. */
  private final Object writes = new Object();

  /** Serializes forces, so one force covers every line appended while it waited. */
  private final Object forces = new Object();

  private final Map<String, Long> lines = new HashMap<>();
  private long lineCount;
  private long size;

  /** How many bytes are known to be on the storage device. */
  private volatile long durable;

  private boolean closed;
  private boolean broken;

  private JsonLinesChannel(Builder b) {
    this.name = b.name;
    this.path = b.path;
    this.syncEachLine = b.syncEachLine;
    this.maxKeys = b.maxKeys;
    this.clock = b.clock;
    Path target = path.toAbsolutePath().normalize();
    this.openKey = identify(target);
    if (!OPEN.add(openKey)) {
      throw alreadyOpen();
    }
    FileChannel fc = null;
    FileLock fl = null;
    try {
      fc = b.opener.open(target);
      try {
        fl = fc.tryLock();
      } catch (OverlappingFileLockException e) {
        fl = null;
      }
      if (fl == null) {
        throw alreadyOpen();
      }
      scan(fc);
    } catch (IOException e) {
      closeQuietly(fc);
      OPEN.remove(openKey);
      throw new ChannelException(
          name, "could not open " + path + ": " + e.getClass().getSimpleName(), false, null, e);
    } catch (RuntimeException e) {
      closeQuietly(fc);
      OPEN.remove(openKey);
      throw e;
    }
    this.file = fc;
    this.lock = fl;
  }

  /**
   * Creates the file (and its directories) if needed, without opening a descriptor on an existing
   * file, and returns what identifies it whatever name it is reached by: its file key (device and
   * inode on POSIX systems, so hard links match too), else its real path (symbolic links and {@code
   * ..} resolved).
   */
  private Object identify(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        // opened below; an existing file must not be opened and closed here, which would drop
        // the lock another channel of this process holds on it
      }
      Path real = file.toRealPath();
      Object key = Files.readAttributes(real, BasicFileAttributes.class).fileKey();
      return key != null ? key : real;
    } catch (IOException e) {
      throw new ChannelException(
          name, "could not open " + path + ": " + e.getClass().getSimpleName(), false, null, e);
    }
  }

  /** Opens (creating it and its directories if needed) {@code file} with the defaults. */
  public static JsonLinesChannel open(Path file) {
    return builder(file).build();
  }

  /** A builder for a channel writing {@code file}. */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  @Override
  public String name() {
    return name;
  }

  /** Always true: a key already in the file is never written again. */
  @Override
  public boolean deduplicatesByKey() {
    return true;
  }

  /** The file written. */
  public Path path() {
    return path;
  }

  /** How many lines the file has, counting those it had when opened. */
  public long lineCount() {
    synchronized (writes) {
      return lineCount;
    }
  }

  /**
   * Appends {@code request} as one line unless its key is already in the file, and (unless {@link
   * Builder#syncEachLine} is off) returns only once the line is on the storage device. Concurrent
   * deliveries share a force: while one thread forces the file, others append, and the next force
   * covers all of their lines.
   *
   * @return a receipt with external id {@code line-<n>}; a duplicate, naming the earlier line, when
   *     the key was already written
   * @throws ChannelException retryable when the line could not be written (the file is cut back to
   *     its previous length); permanent when forcing the file failed or a failed write could not be
   *     undone, after which the channel refuses writes until reopened (reopening reads which lines
   *     survived)
   * @throws IllegalStateException when the channel is closed
   */
  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    ObjectNode node = request.toJsonNode();
    DeliveryReceipt receipt;
    long end;
    synchronized (writes) {
      if (closed) {
        throw new IllegalStateException("channel '" + name + "' is closed");
      }
      if (broken) {
        throw brokenException(null);
      }
      Instant now = clock.instant();
      Long existing = lines.get(request.idempotencyKey());
      if (existing != null) {
        receipt = DeliveryReceipt.duplicate(request, name, "line-" + existing, now);
      } else {
        if (lines.size() >= maxKeys) {
          throw full();
        }
        node.put("deliveredAt", now.toString());
        node.put("deliveryChannel", name);
        byte[] line = bytes(node);
        long before = size;
        try {
          ByteBuffer buf = ByteBuffer.wrap(line);
          long at = before;
          while (buf.hasRemaining()) {
            at += file.write(buf, at);
          }
        } catch (IOException e) {
          undo(before);
          throw new ChannelException(
              name,
              "could not append to " + path + ": " + e.getClass().getSimpleName(),
              !broken,
              null,
              e);
        }
        size = before + line.length;
        lineCount++;
        lines.put(request.idempotencyKey(), lineCount);
        receipt = DeliveryReceipt.delivered(request, name, "line-" + lineCount, now);
      }
      end = size;
    }
    if (syncEachLine) {
      awaitDurable(end);
    }
    return receipt;
  }

  /** Returns once the first {@code end} bytes are forced, forcing them if no one else has. */
  private void awaitDurable(long end) {
    if (durable >= end) {
      return;
    }
    synchronized (forces) {
      if (durable >= end) {
        return;
      }
      long target;
      synchronized (writes) {
        if (broken) {
          throw brokenException(null);
        }
        target = size;
      }
      try {
        file.force(false);
      } catch (IOException e) {
        synchronized (writes) {
          broken = true;
        }
        LOG.error(
            "channel {}: could not force {} to disk ({}); refusing writes until reopened",
            name,
            path,
            e.getClass().getSimpleName());
        throw brokenException(e);
      }
      durable = target;
    }
  }

  private ChannelException brokenException(@Nullable IOException cause) {
    return new ChannelException(
        name,
        "a write to "
            + path
            + " failed and could not be undone "
            + "or forced; reopen the channel, which reads the lines that survived",
        false,
        null,
        cause);
  }

  /**
   * Forces what was written, releases the lock and closes the file. Idempotent.
   *
   * @throws ChannelException when forcing or closing the file failed
   */
  @Override
  public void close() {
    synchronized (forces) {
      synchronized (writes) {
        if (closed) {
          return;
        }
        closed = true;
        IOException failure = null;
        try {
          if (!broken) {
            file.force(false);
            durable = size;
          }
        } catch (IOException e) {
          failure = e;
        }
        try {
          lock.release();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
        try {
          file.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        } finally {
          OPEN.remove(openKey);
        }
        if (failure != null) {
          throw new ChannelException(
              name,
              "could not close " + path + ": " + failure.getClass().getSimpleName(),
              false,
              null,
              failure);
        }
      }
    }
  }

  /** The name, the file and whether each line is forced. */
  @Override
  public String toString() {
    return "JsonLinesChannel[name="
        + name
        + ", path="
        + path
        + ", syncEachLine="
        + syncEachLine
        + "]";
  }

  private void undo(long before) {
    try {
      file.truncate(before);
      if (syncEachLine) {
        file.force(false);
      }
    } catch (IOException e) {
      broken = true;
      LOG.error(
          "channel {}: could not cut {} back to {} bytes after a failed write; refusing "
              + "writes until reopened",
          name,
          path,
          before);
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      byte[] json = MAPPER.writeValueAsBytes(node);
      byte[] line = new byte[json.length + 1];
      System.arraycopy(json, 0, line, 0, json.length);
      line[json.length] = '\n';
      return line;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("action parameters are not JSON values", e);
    }
  }

  /** Reads the keys of the complete lines and cuts off a partial last line. */
  private void scan(FileChannel fc) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    long position = 0;
    long endOfLastLine = 0;
    while (true) {
      chunk.clear();
      int n = fc.read(chunk, position);
      if (n < 0) {
        break;
      }
      byte[] a = chunk.array();
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (a[i] == '\n') {
          current.write(a, start, i - start);
          lineCount++;
          readKey(current.toByteArray(), lineCount);
          current.reset();
          start = i + 1;
          endOfLastLine = position + i + 1;
        }
      }
      current.write(a, start, n - start);
      position += n;
    }
    if (position > endOfLastLine) {
      fc.truncate(endOfLastLine);
      LOG.warn(
          "channel {}: cut off {} bytes of an incomplete last line of {} left by an "
              + "interrupted write",
          name,
          position - endOfLastLine,
          path);
    }
    size = endOfLastLine;
    if (size > 0) {
      fc.force(false);
    }
    durable = size;
  }

  private void readKey(byte[] line, long number) {
    if (isBlank(line)) {
      return;
    }
    @Nullable String key = null;
    try (JsonParser p = MAPPER.getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed(number);
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("idempotencyKey") && value == JsonToken.VALUE_STRING) {
          key = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw malformed(number);
      }
    } catch (IOException e) {
      throw malformed(number);
    }
    if (key == null || key.isBlank()) {
      throw malformed(number);
    }
    if (lines.putIfAbsent(key, number) == null && lines.size() > maxKeys) {
      lines.remove(key);
      throw full();
    }
  }

  private ChannelException full() {
    return ChannelException.permanent(
        name,
        path
            + " holds "
            + lines.size()
            + " idempotency keys,"
            + " the most this channel keeps in memory (maxKeys "
            + maxKeys
            + "); rotate to a new "
            + "file, one per round say, or raise maxKeys");
  }

  private ChannelException alreadyOpen() {
    return ChannelException.permanent(
        name,
        path
            + " is already open by another "
            + "JsonLinesChannel (in this or another process, possibly by another name: a link or "
            + "relative path to the same file); two writers would break deduplication");
  }

  private ChannelException malformed(long number) {
    return ChannelException.permanent(
        name,
        "line "
            + number
            + " of "
            + path
            + " is not a JSON object with an idempotencyKey; repair or move the file");
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static void closeQuietly(@Nullable FileChannel fc) {
    if (fc != null) {
      try {
        fc.close();
      } catch (IOException ignored) {
        // the failure being reported matters more
      }
    }
  }

  /** Opens the file for reading and writing, creating it if needed. */
  @FunctionalInterface
  interface Opener {
    FileChannel open(Path file) throws IOException;
  }

  /**
   * Builds a {@link JsonLinesChannel}. Not thread-safe; {@link #build()} opens the file.
   *
   * <pre>{@code
   * JsonLinesChannel export = JsonLinesChannel.builder(Path.of("export/actions.jsonl"))
   *     .name("export")
   *     .syncEachLine(false)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final Path path;
    private String name = "jsonl";
    private boolean syncEachLine = true;
    private int maxKeys = DEFAULT_MAX_KEYS;
    private Clock clock = Clock.systemUTC();
    private Opener opener =
        file ->
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);

    private Builder(Path path) {
      this.path = Objects.requireNonNull(path, "file");
    }

    /** The channel's name in routes, receipts and lines. Default: {@code jsonl}. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Whether each line is forced to the storage device before {@link #deliver} returns. Turning it
     * off makes bulk exports many times faster, but lines the operating system has not yet written
     * are lost if the machine (not just the process) stops, while the executor has already marked
     * their actions done; {@link #close()} still forces everything. Default: true.
     */
    public Builder syncEachLine(boolean sync) {
      this.syncEachLine = sync;
      return this;
    }

    /**
     * The most idempotency keys (lines) the channel holds in memory to deduplicate. A channel whose
     * file reaches it refuses new keys with a permanent {@link ChannelException} (a key already
     * written is still answered as a duplicate), and a file holding more fails to open: forgetting
     * old keys would let an action be written twice without anyone noticing. Each key costs about
     * 150 bytes, so the default allows about 150 MB; rotate files (one per round, say) rather than
     * raising it without end. Default: {@value #DEFAULT_MAX_KEYS}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxKeys(int maxKeys) {
      if (maxKeys <= 0) {
        throw new IllegalArgumentException("maxKeys must be positive but was " + maxKeys);
      }
      this.maxKeys = maxKeys;
      return this;
    }

    /** The clock for {@code deliveredAt} and receipts. Default: UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Replaces how the file is opened, so tests can make writes and forces fail. */
    Builder opener(Opener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    /**
     * Opens the file, reads the keys it holds and cuts off a partial last line.
     *
     * @throws ChannelException when the file cannot be opened, is open by another channel (by
     *     whatever name: the file is identified by its file key or real path), holds more than
     *     {@link #maxKeys} keys, or has a complete line that is not a JSON object with an {@code
     *     idempotencyKey}
     */
    public JsonLinesChannel build() {
      return new JsonLinesChannel(this);
    }
  }
}
