package dev.opagent.agent;

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
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.opagent.agent");

  @Test
  void publicApi_neverExposesInternalTypes() {
    ArchRuleDefinition.classes()
        .that().resideOutsideOfPackage("..internal..").and().arePublic()
        .should(new ArchCondition<JavaClass>("not expose ..internal.. types in public signatures") {
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
                  events.add(SimpleConditionEvent.violated(m,
                      m.getFullName() + " exposes internal type " + t.getName()));
                }
              }
            }
          }
        })
        .check(CLASSES);
  }

  @Test
  void spi_dependsOnNoInternalType() {
    noClasses().that().resideInAPackage("dev.opagent.agent.spi..")
        .should().dependOnClassesThat().resideInAPackage("dev.opagent.agent..internal..")
        .check(CLASSES);
  }

  @Test
  void engine_usesNoAwsClientTypes() {
    noClasses().that().resideInAPackage("dev.opagent.agent..")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
        .check(CLASSES);
  }

  @Test
  void budgetAndApproval_doNotDependOnTheEngine() {
    noClasses().that().resideInAnyPackage("dev.opagent.agent.budget..",
            "dev.opagent.agent.approval..")
        .should().dependOnClassesThat().resideInAPackage("dev.opagent.agent")
        .check(CLASSES);
  }

  /**
   * The LLM tools and their JSON Schema validator live in {@code operation-agent-tools}: a host
   * that runs the loop without a language model gets neither.
   */
  @Test
  void core_dependsNeitherOnTheToolsNorOnTheSchemaValidator() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("dev.opagent.agent.tools..", "com.networknt..")
        .check(CLASSES);
  }

  /**
   * Every package, the root {@code dev.opagent.agent} included, is its own slice: no two packages
   * depend on each other in a circle, so each can be read, tested and moved on its own.
   */
  @Test
  void packages_areFreeOfCycles() {
    slices().matching("dev.opagent.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
