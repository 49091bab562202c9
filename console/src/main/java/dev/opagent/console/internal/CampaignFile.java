package dev.opagent.console.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.LoadResult;
import dev.opagent.rules.ReloadResult;
import dev.opagent.rules.Rule;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A rules file the console enables and disables campaigns in, through the rule format's own {@code
 * enabled} field: the one value changes in the file's text (or {@code "enabled": false} is added
 * after the rule id), and the rest of the file stays as it was. A change is validated with the
 * loader before anything is written, recorded in the {@link CampaignAudit}, written to a temporary
 * file in the same directory, flushed, and moved over the rules file atomically: readers see the
 * old file or the new one, never part of one. The holder then reloads it. Changes are serialised;
 * each names the SHA-256 of the file it was made on, so a change based on a file that has changed
 * since is refused.
 */
public final class CampaignFile {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private final RuleSetHolder holder;
  private final RuleSetLoader loader;
  private final Path path;
  private final CampaignAudit audit;
  private final Clock clock;

  /**
   * @param holder the rules in effect; its source must be a {@link RuleSource.File}
   * @param loader validates every change (the host's, with its saved groups and action types)
   */
  public CampaignFile(
      RuleSetHolder holder, RuleSetLoader loader, CampaignAudit audit, Clock clock) {
    if (!(holder.source() instanceof RuleSource.File file)) {
      throw new IllegalArgumentException(
          "the console changes campaigns in a rules file, but the rules come from "
              + holder.source().describe());
    }
    this.holder = holder;
    this.loader = loader;
    this.path = file.path();
    this.audit = audit;
    this.clock = clock;
  }

  public RuleSetHolder holder() {
    return holder;
  }

  public CampaignAudit audit() {
    return audit;
  }

  public Path path() {
    return path;
  }

  /** The rules in effect and the SHA-256 of the file as it is now (what a change is made on). */
  public synchronized Snapshot snapshot() throws IOException {
    return new Snapshot(holder.current(), sha256(Files.readAllBytes(path)));
  }

  /** The rules in effect and the digest of the file a change is made on. */
  public record Snapshot(RuleSet rules, String fileSha256) {}

  /** How a change ended. */
  public enum Outcome {
    /** Written, audited and reloaded. */
    CHANGED,
    /** The campaign already was in that state; nothing was written. */
    UNCHANGED,
    /** No campaign of the file has that id. */
    UNKNOWN_CAMPAIGN,
    /** The file changed after the page was shown. */
    STALE,
    /** The file with the change does not validate: nothing was written. */
    INVALID
  }

  /** A change's outcome and a message for the operator (no customer data). */
  public record Result(Outcome outcome, String message) {}

  /**
   * Enables or disables campaign {@code id}.
   *
   * @param expectedSha256 the digest of the file the operator saw
   */
  public synchronized Result setEnabled(
      String id, boolean enabled, String actor, String reason, String expectedSha256)
      throws IOException {
    byte[] before = Files.readAllBytes(path);
    String beforeSha = sha256(before);
    if (!Sessions.sameToken(beforeSha, expectedSha256)) {
      return new Result(
          Outcome.STALE,
          "the rules file changed after this page was shown; nothing was changed, look again");
    }
    String text = text(before);
    JsonNode root;
    Edit edit;
    try {
      root = MAPPER.readTree(text);
      edit = locate(text, id);
    } catch (IOException e) {
      return new Result(
          Outcome.INVALID, "the rules file is not valid JSON now; nothing was changed");
    }
    if (edit == null) {
      return new Result(Outcome.UNKNOWN_CAMPAIGN, "the rules file has no campaign " + id);
    }
    if (edit.enabled() == enabled) {
      return new Result(
          Outcome.UNCHANGED,
          "campaign " + id + " already is " + (enabled ? "enabled" : "disabled"));
    }
    String changed = edit.apply(text, enabled);
    // the edit touches one value in the text, keeping the rest of the file as it is; what it
    // means is checked against the same change made on the parsed document
    JsonNode wanted = root.deepCopy();
    for (JsonNode r : wanted.isArray() ? wanted : wanted.path("rules")) {
      if (r.isObject() && id.equals(r.path("rule_id").asText(null))) {
        ((ObjectNode) r).put("enabled", enabled);
      }
    }
    try {
      if (!MAPPER.readTree(changed).equals(wanted)) {
        return new Result(
            Outcome.INVALID,
            "the change could not be made in the file's text; nothing was changed");
      }
    } catch (IOException e) {
      return new Result(
          Outcome.INVALID, "the change could not be made in the file's text; nothing was changed");
    }
    byte[] after = changed.getBytes(StandardCharsets.UTF_8);
    LoadResult checked = loader.validate(RuleSource.string(path.toString(), changed));
    if (checked instanceof LoadResult.Invalid invalid) {
      return new Result(
          Outcome.INVALID,
          "the rules file would not load with this change ("
              + invalid.errors().size()
              + " error"
              + (invalid.errors().size() == 1 ? "" : "s")
              + ", first: "
              + (invalid.errors().isEmpty() ? "?" : invalid.errors().get(0).message())
              + "); nothing was changed");
    }
    RuleSet next = ((LoadResult.Loaded) checked).ruleSet();
    if (next.rule(id).map(Rule::enabled).orElse(!enabled) != enabled) {
      return new Result(
          Outcome.INVALID, "the change did not read back as intended; nothing was changed");
    }
    String afterSha = sha256(after);
    Path temp = Files.createTempFile(path.toAbsolutePath().getParent(), ".console-", ".tmp");
    try {
      copyPermissions(temp);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(after);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      CampaignAudit.Type type = enabled ? CampaignAudit.Type.ENABLED : CampaignAudit.Type.DISABLED;
      audit.append(
          new CampaignAudit.Event(clock.instant(), type, id, actor, reason, beforeSha, afterSha));
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        audit.append(
            new CampaignAudit.Event(
                clock.instant(),
                CampaignAudit.Type.NOT_APPLIED,
                id,
                actor,
                "the rules file could not be replaced: " + e.getClass().getSimpleName(),
                beforeSha,
                beforeSha));
        throw e instanceof AtomicMoveNotSupportedException
            ? new IOException("the rules file's file system cannot replace it atomically", e)
            : e;
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory();
    ReloadResult reloaded = holder.reload();
    String effect =
        reloaded instanceof ReloadResult.Rejected
            ? "; the rules in effect were NOT reloaded (the file was changed again meanwhile)"
            : "";
    return new Result(
        Outcome.CHANGED, "campaign " + id + (enabled ? " enabled" : " disabled") + effect);
  }

  private void copyPermissions(Path temp) {
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
      if (view != null) {
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        Files.setPosixFilePermissions(temp, perms);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // the temporary file keeps its owner-only permissions
    }
  }

  /** Makes the rename durable where the platform allows opening a directory. */
  private void syncDirectory() {
    Path dir = path.toAbsolutePath().getParent();
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform can: the rename itself is atomic either way
    }
  }

  /**
   * Where campaign {@code id}'s {@code enabled} value is in {@code text}, or where one is inserted
   * (after its {@code rule_id}); null when no campaign has that id.
   */
  private static @Nullable Edit locate(String text, String id) throws IOException {
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if ("rules".equals(name) && value == JsonToken.START_ARRAY) {
            return inRules(p, id);
          }
          p.skipChildren();
        }
        return null;
      }
      return first == JsonToken.START_ARRAY ? inRules(p, id) : null;
    }
  }

  private static @Nullable Edit inRules(JsonParser p, String id) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != null && t != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String ruleId = null;
      int idEnd = -1;
      int enabledAt = -1;
      int enabledLength = 0;
      boolean enabled = true;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("rule_id".equals(name) && value == JsonToken.VALUE_STRING) {
          ruleId = p.getText();
          idEnd = (int) p.currentLocation().getCharOffset();
        } else if ("enabled".equals(name) && value.isBoolean()) {
          enabledAt = (int) p.currentTokenLocation().getCharOffset();
          enabled = value == JsonToken.VALUE_TRUE;
          enabledLength = enabled ? 4 : 5;
        } else {
          p.skipChildren();
        }
      }
      if (id.equals(ruleId)) {
        return new Edit(enabled, enabledAt, enabledLength, idEnd);
      }
    }
    return null;
  }

  /**
   * A campaign's {@code enabled} literal at {@code at} (of {@code length} characters), or, when
   * {@code at} is negative, none: one is inserted at {@code insertAt}, after the rule id.
   */
  private record Edit(boolean enabled, int at, int length, int insertAt) {
    String apply(String text, boolean value) {
      if (at >= 0) {
        return text.substring(0, at) + value + text.substring(at + length);
      }
      return text.substring(0, insertAt) + ", \"enabled\": " + value + text.substring(insertAt);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
