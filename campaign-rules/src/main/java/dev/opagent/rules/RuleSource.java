package dev.opagent.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a rule set's JSON comes from: a file, a classpath resource, or a string. Immutable and
 * thread-safe; reading happens each time {@link #read()} is called, so a holder can reload.
 */
public sealed interface RuleSource {

  /** Classpath resource of the bundled default campaigns (winback, retention, loyalty, …). */
  String DEFAULTS_RESOURCE = "dev/opagent/rules/default-campaigns.json";

  /**
   * Largest file or resource read, in bytes (16 MiB); a larger one fails to read with an {@link
   * IOException} instead of being loaded into memory. (The loader further accepts at most {@link
   * RuleSetLoader#MAX_DOCUMENT_LENGTH} characters.)
   */
  long MAX_BYTES = 16L * 1024 * 1024;

  /** A short description for messages ({@code file:/etc/campaigns.json}). */
  String describe();

  /** The JSON text, decoded as UTF-8. */
  String read() throws IOException;

  /** A UTF-8 file, re-read on every load. */
  static RuleSource file(Path path) {
    return new File(path);
  }

  /** A classpath resource, looked up with this library's class loader. */
  static RuleSource classpath(String resource) {
    return new Classpath(resource, RuleSource.class.getClassLoader());
  }

  /** A classpath resource, looked up with {@code loader}. */
  static RuleSource classpath(String resource, ClassLoader loader) {
    return new Classpath(resource, loader);
  }

  /** JSON text held in memory; {@code name} appears in messages. */
  static RuleSource string(String name, String json) {
    return new Text(name, json);
  }

  /** The bundled default campaigns. */
  static RuleSource defaults() {
    return classpath(DEFAULTS_RESOURCE);
  }

  /** A UTF-8 file. */
  record File(Path path) implements RuleSource {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String describe() {
      return "file:" + path;
    }

    @Override
    public String read() throws IOException {
      try (InputStream in = Files.newInputStream(path)) {
        return readBounded(in);
      }
    }
  }

  /** A classpath resource. */
  record Classpath(String resource, ClassLoader loader) implements RuleSource {
    public Classpath {
      if (resource.isEmpty()) {
        throw new IllegalArgumentException("classpath resource must not be empty");
      }
    }

    @Override
    public String describe() {
      return "classpath:" + resource;
    }

    @Override
    public String read() throws IOException {
      String name = resource.startsWith("/") ? resource.substring(1) : resource;
      try (InputStream in = loader.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("classpath resource not found: " + name);
        }
        return readBounded(in);
      }
    }
  }

  private static String readBounded(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES + " bytes; split the rule file");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** JSON text in memory. */
  record Text(String name, String json) implements RuleSource {
    public Text {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(json, "json");
    }

    @Override
    public String describe() {
      return "string:" + name;
    }

    @Override
    public String read() {
      return json;
    }

    @Override
    public String toString() {
      return "Text[" + name + ", " + json.length() + " chars]";
    }
  }
}
