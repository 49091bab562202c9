package dev.opagent.agent.execution.journal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class JournalArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.opagent.agent.execution.journal");

  /** The library needs only java.sql: the driver and the pool are the host's. */
  @Test
  void journal_dependsOnJavaSqlAndOpagentOnly() {
    classes().that().resideInAPackage("dev.opagent.agent.execution.journal")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.sql..",
            "dev.opagent.agent", "dev.opagent.agent.execution..", "org.jspecify.annotations..")
        .check(CLASSES);
  }
}
