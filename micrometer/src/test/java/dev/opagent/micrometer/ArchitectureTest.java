package dev.opagent.micrometer;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.opagent.testkit.arch.ApiRules;
import org.junit.jupiter.api.Test;

/** The metrics module's public API follows the library's rules. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ApiRules.mainClasses("dev.opagent.micrometer");

  @Test
  void publicApi_neverExposesInternalTypes() {
    ApiRules.noInternalTypesInPublicSignatures().check(CLASSES);
  }

  @Test
  void packages_areFreeOfCycles() {
    ApiRules.packagesFreeOfCycles("dev.opagent.micrometer").check(CLASSES);
  }
}
