package dev.opagent.agent.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.opagent.testkit.arch.ApiRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses CLASSES = importClasses();

  private static JavaClasses importClasses() {
    // Only this module's own signatures matter; resolving every referenced library class from
    // the class path would take seconds.
    // The setting is global, so it is restored for the other tests.
    com.tngtech.archunit.ArchConfiguration config = com.tngtech.archunit.ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      return new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.opagent.agent.tools");
    } finally {
      config.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void publicApi_neverExposesInternalTypes() {
    ApiRules.noInternalTypesInPublicSignatures().check(CLASSES);
  }

  /** {@code tools} and {@code tools.spi} (and any package added later) depend in one direction. */
  @Test
  void packages_areFreeOfCycles() {
    ApiRules.packagesFreeOfCycles("dev.opagent.agent.tools").check(CLASSES);
  }

  @Test
  void tools_useNoAwsSdkDirectly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon..", "com.amazonaws..")
        .check(CLASSES);
  }

  @Test
  void spi_dependsOnNoInternalType() {
    noClasses()
        .that()
        .resideInAPackage("dev.opagent.agent.tools.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.opagent.agent..internal..")
        .check(CLASSES);
  }
}
