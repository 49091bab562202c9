package dev.opagent.segment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * No type of {@code dev.opagent.segment.internal} appears in a public signature of the API or SPI.
 */
@AnalyzeClasses(
    packages = "dev.opagent.segment",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ApiArchitectureTest {
  private static final String INTERNAL = "dev.opagent.segment.internal";

  @ArchTest
  static final ArchRule noInternalTypeInPublicSignatures =
      classes()
          .that()
          .resideInAnyPackage("dev.opagent.segment", "dev.opagent.segment.spi")
          .and()
          .arePublic()
          .should(
              new ArchCondition<JavaClass>("expose no internal type in a public signature") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                  for (JavaCodeUnit unit : c.getCodeUnits()) {
                    if (!unit.getModifiers().contains(JavaModifier.PUBLIC)
                        || unit.getName().equals("<clinit>")) {
                      continue;
                    }
                    List<JavaType> types = new ArrayList<>(unit.getParameterTypes());
                    types.add(unit.getReturnType());
                    for (JavaType t : types) {
                      report(events, c, unit.getFullName(), t);
                    }
                  }
                  for (JavaField f : c.getFields()) {
                    if (f.getModifiers().contains(JavaModifier.PUBLIC)) {
                      report(events, c, f.getFullName(), f.getType());
                    }
                  }
                }

                private void report(
                    ConditionEvents events, JavaClass c, String member, JavaType type) {
                  for (JavaClass involved : type.getAllInvolvedRawTypes()) {
                    if (involved.getPackageName().startsWith(INTERNAL)) {
                      events.add(
                          SimpleConditionEvent.violated(
                              c, member + " exposes internal type " + involved.getName()));
                    }
                  }
                }
              });

  @ArchTest
  static final ArchRule spiDependsOnNoInternalType =
      classes()
          .that()
          .resideInAPackage("dev.opagent.segment.spi")
          .should()
          .onlyDependOnClassesThat(
              DescribedPredicate.not(JavaClass.Predicates.resideInAPackage(INTERNAL + "..")));

  /**
   * Every package, the root {@code dev.opagent.segment} included, is its own slice, and no two
   * depend on each other in a circle. The root package holds the API and its package-private
   * implementation; {@code spi} and {@code internal} know no segment type.
   */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("dev.opagent.(**)").should().beFreeOfCycles();

  /**
   * The transport SPI and the internal helpers depend on no class of the root package, so that the
   * root package can depend on them and never the other way round.
   */
  @ArchTest
  static final ArchRule spiAndInternalKnowNoRootType =
      noClasses()
          .that()
          .resideInAnyPackage("dev.opagent.segment.spi..", INTERNAL + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.opagent.segment");

  @ArchTest
  static final ArchRule wireHelpersKnowNoSegmentType =
      noClasses()
          .that()
          .resideInAPackage(INTERNAL + ".wire..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.opagent.segment", "dev.opagent.segment.spi..", INTERNAL);
}
