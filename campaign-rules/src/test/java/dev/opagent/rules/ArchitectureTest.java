package dev.opagent.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
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
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.opagent.rules");

  @Test
  void campaignRules_dependsOnNeitherAwsNorSegmentClient() {
    noClasses()
        .that()
        .resideInAPackage("dev.opagent.rules..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon..", "com.amazonaws..", "dev.opagent.segment..", "dev.opagent.agent..")
        .check(CLASSES);
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
                    u.getExceptionTypes().forEach(types::add);
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
  void publicApi_inheritsNoInternalTypes() {
    ArchRuleDefinition.classes()
        .that()
        .resideOutsideOfPackage("..internal..")
        .and()
        .arePublic()
        .should()
        .notBeAssignableTo(
            DescribedPredicate.describe(
                "an internal type", (JavaClass t) -> t.getPackageName().contains(".internal")))
        .check(CLASSES);
  }

  @Test
  void spi_dependsOnNothingElseInTheLibrary() {
    noClasses()
        .that()
        .resideInAPackage("dev.opagent.rules.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.opagent.rules",
            "dev.opagent.rules.condition..",
            "dev.opagent.rules.internal..",
            "dev.opagent.rules.attributes..",
            "dev.opagent.rules.assignment..")
        .check(CLASSES);
  }

  /**
   * Every package, the root {@code dev.opagent.rules} included, is its own slice: no two packages
   * depend on each other in a circle. The layers run from {@code problem} and {@code json} (what a
   * finding is and where it is) through {@code spi}, {@code internal} and {@code condition} to the
   * root, which reads rule files and evaluates them.
   */
  @Test
  void packages_areFreeOfCycles() {
    slices().matching("dev.opagent.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void problemsAndLocatedJson_dependOnNothingAboveThem() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.opagent.rules.problem..", "dev.opagent.rules.json..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.opagent.rules",
            "dev.opagent.rules.condition..",
            "dev.opagent.rules.internal..",
            "dev.opagent.rules.attributes..",
            "dev.opagent.rules.assignment..",
            "dev.opagent.rules.spi..")
        .check(CLASSES);
  }
}
