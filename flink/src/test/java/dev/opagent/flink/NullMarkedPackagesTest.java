package dev.opagent.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * Every package of the module's main code is {@code @NullMarked}: the build's NullAway checks only
 * those, so a package without it would escape the null contract unnoticed.
 */
class NullMarkedPackagesTest {

  @Test
  void everyMainPackageIsNullMarked() throws Exception {
    Path classes =
        Path.of(EventJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> packages;
    try (Stream<Path> files = Files.walk(classes)) {
      packages =
          files
              .filter(f -> f.getFileName().toString().endsWith(".class"))
              .map(
                  f ->
                      classes
                          .relativize(f.getParent())
                          .toString()
                          .replace(f.getFileSystem().getSeparator(), "."))
              .filter(p -> p.startsWith("dev.opagent."))
              .distinct()
              .sorted()
              .collect(Collectors.toList());
    }
    assertThat(packages).contains("dev.opagent.flink", "dev.opagent.flink.internal");
    List<String> unmarked =
        packages.stream().filter(p -> !isNullMarked(p)).collect(Collectors.toList());
    assertThat(unmarked).as("packages without @NullMarked in package-info.java").isEmpty();
  }

  private static boolean isNullMarked(String packageName) {
    try {
      return Class.forName(packageName + ".package-info").isAnnotationPresent(NullMarked.class);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
