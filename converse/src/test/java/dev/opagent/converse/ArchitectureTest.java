package dev.opagent.converse;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.opagent.testkit.arch.ApiRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses CLASSES = importClasses();

  private static JavaClasses importClasses() {
    // Only this module's own signatures matter; the setting is global, so it is restored.
    ArchConfiguration config = ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      return new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.opagent.converse");
    } finally {
      config.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void publicApi_neverExposesInternalTypes() {
    ApiRules.noInternalTypesInPublicSignatures().check(CLASSES);
  }

  @Test
  void packages_areFreeOfCycles() {
    ApiRules.packagesFreeOfCycles("dev.opagent.converse").check(CLASSES);
  }
}
