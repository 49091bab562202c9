package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The command line's self-contained jar, after it is packaged: it carries no test library, and it
 * still starts.
 */
@Tag("packaged-jar")
class ShadedJarIT {
  /** Test libraries that a dependency's compile scope could drag into the jar. */
  private static final List<String> TEST_LIBRARY_PACKAGES =
      List.of(
          "org/junit/",
          "org/opentest4j/",
          "org/apiguardian/",
          "org/assertj/",
          "net/jqwik/",
          "org/mockito/",
          "org/jsoup/",
          "com/tngtech/archunit/");

  private static Path jar() {
    Path jar = Path.of(System.getProperty("opagent.cli.jar", "target/opagent-cli.jar"));
    assertThat(jar).as("the packaged command line").isRegularFile();
    return jar;
  }

  @Test
  void carriesNoTestLibrary() throws IOException {
    try (JarFile file = new JarFile(jar().toFile())) {
      List<String> testClasses =
          file.stream()
              .map(ZipEntry::getName)
              .filter(name -> TEST_LIBRARY_PACKAGES.stream().anyMatch(name::startsWith))
              .limit(10)
              .toList();
      assertThat(testClasses).as("test-library entries in the command line's jar").isEmpty();
    }
  }

  @Test
  void startsAndPrintsItsUsage() {
    String javaHome = System.getProperty("java.home");
    Path java = Path.of(javaHome, "bin", "java");
    String usage =
        assertTimeoutPreemptively(
            Duration.ofSeconds(120),
            () -> {
              Process process =
                  new ProcessBuilder(java.toString(), "-jar", jar().toString(), "--help")
                      .redirectErrorStream(true)
                      .start();
              try {
                String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).as(output).isZero();
                return output;
              } finally {
                process.destroyForcibly();
              }
            });
    assertThat(usage).contains("Usage: opagent");
    assertThat(Files.exists(jar())).isTrue();
  }
}
