package dev.opagent.agent.execution.channels;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ChannelsArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.opagent.agent.execution.channels");

  @Test
  void channels_dependOnlyOnTheExecutionApiSpiAndTheirLibraries() {
    classes().that().resideInAPackage("dev.opagent.agent.execution.channels..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.opagent.agent.execution", "dev.opagent.agent.execution.spi",
            "dev.opagent.agent.execution.channels..",
            "java..", "javax.crypto..", "com.fasterxml.jackson..",
            "org.slf4j..", "org.jspecify..")
        .check(CLASSES);
  }
}
