package dev.opagent.rules.conformance;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates and reads {@code growthbook-cases.json}. The directory comes from the system property
 * {@code opagent.conformance.dir}; by default {@code ../shared/conformance/} relative to the
 * repository root (tried from the working directory and each of its ancestors, since surefire runs
 * in the module directory). When the file is missing the tests are skipped, unless the environment
 * variable {@code CI} is {@code true}, where missing vectors fail the build.
 */
final class ConformanceFile {
  static final String PROPERTY = "opagent.conformance.dir";
  static final String DEFAULT_DIR = "../shared/conformance/";
  static final String FILE = "growthbook-cases.json";

  private static JsonNode cached;

  private ConformanceFile() {}

  static synchronized JsonNode load() {
    if (cached != null) {
      return cached;
    }
    Path file = locate();
    if (file == null) {
      String message =
          "GrowthBook conformance vectors not found: set -D"
              + PROPERTY
              + "=<dir containing "
              + FILE
              + "> (default "
              + DEFAULT_DIR
              + " relative to the repository root)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + "; CI=true, so missing vectors fail the build");
      }
      Assumptions.abort(message + "; skipping");
    }
    try {
      cached = new ObjectMapper().readTree(file.toFile());
      return cached;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Path locate() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path file = Path.of(configured).resolve(FILE);
      return Files.isRegularFile(file) ? file : null;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve(DEFAULT_DIR).resolve(FILE).normalize();
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return null;
  }
}
