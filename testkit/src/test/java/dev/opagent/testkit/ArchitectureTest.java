package dev.opagent.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.opagent.testkit");

  /**
   * Every package, the root {@code dev.opagent.testkit} included, is its own slice: no two packages
   * depend on each other in a circle.
   */
  @Test
  void packages_areFreeOfCycles() {
    slices().matching("dev.opagent.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  /** The internal helpers (wire forms, per-request randomness) know nothing of the public API. */
  @Test
  void internal_dependsOnNoPublicTestkitType() {
    noClasses().that().resideInAPackage("dev.opagent.testkit.internal..")
        .should().dependOnClassesThat().resideInAPackage("dev.opagent.testkit")
        .check(CLASSES);
  }
}
