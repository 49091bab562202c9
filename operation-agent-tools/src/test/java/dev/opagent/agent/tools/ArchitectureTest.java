package dev.opagent.agent.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.HashSet;
import java.util.Set;
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
    ArchRuleDefinition.classes()
        .that()
        .resideOutsideOfPackage("..internal..")
        .and()
        .arePublic()
        .should(
            new ArchCondition<JavaClass>("not expose ..internal.. types in public signatures") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                for (JavaMember m : c.getMembers()) {
                  if (!m.getModifiers().contains(JavaModifier.PUBLIC)
                      && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
                    continue;
                  }
                  Set<JavaClass> types = new HashSet<>();
                  if (m instanceof JavaField f) {
                    types.addAll(f.getType().getAllInvolvedRawTypes());
                  } else if (m instanceof JavaCodeUnit u) {
                    types.addAll(u.getReturnType().getAllInvolvedRawTypes());
                    u.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
                  }
                  for (JavaClass t : types) {
                    if (t.getPackageName().contains(".internal")) {
                      events.add(
                          SimpleConditionEvent.violated(
                              m, m.getFullName() + " exposes internal type " + t.getName()));
                    }
                  }
                }
              }
            })
        .check(CLASSES);
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

  /** {@code tools} and {@code tools.spi} (and any package added later) depend in one direction. */
  @Test
  void packages_areFreeOfCycles() {
    slices().matching("dev.opagent.agent.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
