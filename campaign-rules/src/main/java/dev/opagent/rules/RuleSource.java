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
      return Files.readString(path, StandardCharsets.UTF_8);
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
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
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
