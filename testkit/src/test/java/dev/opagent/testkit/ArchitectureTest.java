package dev.opagent.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.opagent.testkit.arch.ApiRules;
import org.junit.jupiter.api.Test;

/** The testkit's own public API follows the library's rules. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ApiRules.mainClasses("dev.opagent.testkit");

  @Test
  void publicApi_neverExposesInternalTypes() {
    ApiRules.noInternalTypesInPublicSignatures().check(CLASSES);
  }
}
