package dev.opagent.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.opagent.testkit.arch.ApiRules;
import org.junit.jupiter.api.Test;

/** The testkit's own packages follow the library's rules. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ApiRules.mainClasses("dev.opagent.testkit");

  @Test
  void publicApi_neverExposesInternalTypes() {
    ApiRules.noInternalTypesInPublicSignatures().check(CLASSES);
  }

  /**
   * Every package, the root {@code dev.opagent.testkit} included, is its own slice: no two packages
   * depend on each other in a circle.
   */
  @Test
  void packages_areFreeOfCycles() {
    ApiRules.packagesFreeOfCycles("dev.opagent.testkit").check(CLASSES);
  }

  /** The internal helpers (wire forms, per-request randomness) know nothing of the public API. */
  @Test
  void internal_dependsOnNoPublicTestkitType() {
    noClasses()
        .that()
        .resideInAPackage("dev.opagent.testkit.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.opagent.testkit")
        .check(CLASSES);
  }
}
