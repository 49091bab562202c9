package dev.opagent.agent.experiment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
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
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeedbackAndExperimentArchitectureTest {
  private static final JavaClasses CLASSES = importClasses();

  private static JavaClasses importClasses() {
    // Only these packages' own classes matter; the setting is global, so it is restored.
    ArchConfiguration config = ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      return new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.opagent.agent.feedback", "dev.opagent.agent.experiment");
    } finally {
      config.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void publicSignatures_neverExposeInternalTypes() {
    classes().that().resideOutsideOfPackage("..internal..").and().arePublic()
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
  void library_doesNotDependOnCommonsMath() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.commons.math3..")
        .check(CLASSES);
  }

  @Test
  void statistics_useOnlyTheJdk() {
    classes().that().resideInAPackage("dev.opagent.agent.experiment.internal..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "org.jspecify..", "dev.opagent.agent.experiment.internal..")
        .check(CLASSES);
  }

  @Test
  void feedback_doesNotDependOnExperiments() {
    noClasses().that().resideInAPackage("dev.opagent.agent.feedback..")
        .should().dependOnClassesThat().resideInAPackage("dev.opagent.agent.experiment..")
        .check(CLASSES);
  }
}
