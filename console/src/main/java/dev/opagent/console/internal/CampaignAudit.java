package dev.opagent.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only audit trail of campaign changes made in the console: one JSON line per event
 * ({@code at, type, campaign, actor, reason, before, after}; the last two are the SHA-256 of the
 * rules file before and after), flushed to the disk before the change takes effect. Events are
 * never rewritten. Thread-safe.
 */
public final class CampaignAudit {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What happened to a campaign. */
  public enum Type {
    /** The campaign was enabled. */
    ENABLED,
    /** The campaign was disabled. */
    DISABLED,
    /** A change recorded just before could not be written to the rules file: it did not happen. */
    NOT_APPLIED
  }

  /** One event of the trail. */
  public record Event(
      Instant at,
      Type type,
      String campaign,
      String actor,
      String reason,
      String before,
      String after) {}

  private final Path file;

  public CampaignAudit(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Appends {@code e} and forces it to the disk. */
  public synchronized void append(Event e) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("at", e.at().toString());
    n.put("type", e.type().name());
    n.put("campaign", e.campaign());
    n.put("actor", e.actor());
    n.put("reason", e.reason());
    n.put("before", e.before());
    n.put("after", e.after());
    byte[] line = (MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buf = ByteBuffer.wrap(line);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Every event, oldest first; lines that do not parse are skipped. */
  public synchronized List<Event> events() {
    List<Event> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode n = MAPPER.readTree(line);
          out.add(
              new Event(
                  Instant.parse(n.path("at").asText()),
                  Type.valueOf(n.path("type").asText()),
                  n.path("campaign").asText(),
                  n.path("actor").asText(),
                  n.path("reason").asText(),
                  n.path("before").asText(),
                  n.path("after").asText()));
        } catch (IOException | RuntimeException skipped) {
          // a line cut short by a crash while appending: the events before and after still count
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the campaign audit trail", e);
    }
    return out;
  }
}
