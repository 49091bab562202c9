package dev.opagent.agent;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
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
import dev.opagent.agent.internal.SpecialFunctions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.opagent.agent");

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
  void spi_dependsOnNoInternalType() {
    noClasses()
        .that()
        .resideInAPackage("dev.opagent.agent.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.opagent.agent..internal..")
        .check(CLASSES);
  }

  @Test
  void engine_usesNoAwsClientTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.opagent.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon..", "com.amazonaws..")
        .check(CLASSES);
  }

  @Test
  void budgetAndApproval_doNotDependOnTheEngine() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.opagent.agent.budget..", "dev.opagent.agent.approval..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.opagent.agent")
        .check(CLASSES);
  }

  /**
   * The LLM tools and their JSON Schema validator live in {@code operation-agent-tools}: a host
   * that runs the loop without a language model gets neither.
   */
  @Test
  void core_dependsNeitherOnTheToolsNorOnTheSchemaValidator() {
    noClasses()
        .should()
        .dependOnClassesThat()
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

  /**
   * One {@code ln Γ} in the library: the statistics of experiments and the Beta priors of
   * strategies share {@code dev.opagent.agent.internal.SpecialFunctions}, so an accuracy fix lands
   * everywhere at once.
   */
  @Test
  void logGamma_isImplementedOnce() {
    noMethods()
        .that()
        .haveName("logGamma")
        .should()
        .beDeclaredInClassesThat()
        .doNotHaveFullyQualifiedName("dev.opagent.agent.internal.SpecialFunctions")
        .check(CLASSES);
  }

  @Test
  void library_doesNotDependOnCommonsMath() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.commons.math3..")
        .check(CLASSES);
  }

  /** The statistics of experiments need the JDK and the library's one {@code ln Γ} only. */
  @Test
  void statistics_useOnlyTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.opagent.agent.experiment.internal..")
        .should()
        .onlyDependOnClassesThat(
            resideInAnyPackage(
                    "java..", "org.jspecify..", "dev.opagent.agent.experiment.internal..")
                .or(equivalentTo(SpecialFunctions.class)))
        .check(CLASSES);
    classes()
        .that()
        .belongToAnyOf(SpecialFunctions.class)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.opagent.agent.internal")
        .check(CLASSES);
  }

  @Test
  void feedback_doesNotDependOnExperiments() {
    noClasses()
        .that()
        .resideInAPackage("dev.opagent.agent.feedback..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.opagent.agent.experiment..")
        .check(CLASSES);
  }

  /** The journal needs only java.sql: the driver and the pool are the host's. */
  @Test
  void journal_dependsOnJavaSqlAndOpagentOnly() {
    classes()
        .that()
        .resideInAPackage("dev.opagent.agent.execution.journal")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax.sql..",
            "dev.opagent.agent",
            "dev.opagent.agent.execution..",
            "org.jspecify.annotations..")
        .check(CLASSES);
  }

  @Test
  void channels_dependOnlyOnTheExecutionApiSpiAndTheirLibraries() {
    classes()
        .that()
        .resideInAPackage("dev.opagent.agent.execution.channels..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.opagent.agent.execution",
            "dev.opagent.agent.execution.spi",
            "dev.opagent.agent.execution.channels..",
            "dev.opagent.agent.internal",
            "java..",
            "javax.crypto..",
            "com.fasterxml.jackson..",
            "org.slf4j..",
            "org.jspecify..")
        .check(CLASSES);
  }

  /**
   * One Jackson configuration: the library's mappers come from {@code
   * dev.opagent.agent.internal.Json}, so read limits and number handling are set in one place. The
   * policy and template readers keep their own located-JSON reader, and the tools package its own.
   */
  @Test
  void objectMappers_comeFromTheJsonHolder() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.opagent.agent.internal.Json")
        .and()
        .doNotHaveFullyQualifiedName("dev.opagent.agent.policy.PolicyJson")
        .and()
        .doNotHaveFullyQualifiedName("dev.opagent.agent.strategy.TemplateReader")
        .and()
        .resideOutsideOfPackage("dev.opagent.agent.tools..")
        .should()
        .callConstructorWhere(target(owner(assignableTo(ObjectMapper.class))))
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(MapperBuilder.class)
        .check(CLASSES);
  }
}
