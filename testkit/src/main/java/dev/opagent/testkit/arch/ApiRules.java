package dev.opagent.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
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
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The library's public-API rules as ArchUnit rules, for the architecture test of any module built
 * on opagent (and of opagent's own modules): no {@code internal} type in a public signature, and no
 * cycle between packages. Stateless and thread-safe.
 *
 * <p>ArchUnit is an optional dependency of the testkit: a project that uses this class adds {@code
 * com.tngtech.archunit:archunit} (or {@code archunit-junit5}) to its test dependencies.
 *
 * <pre>{@code
 * JavaClasses classes = ApiRules.mainClasses("com.example.shop");
 * ApiRules.noInternalTypesInPublicSignatures().check(classes);
 * ApiRules.packagesFreeOfCycles("com.example.shop").check(classes);
 * }</pre>
 */
public final class ApiRules {
  private ApiRules() {}

  /**
   * The main (non-test) classes of {@code packages} and their subpackages, as read from the class
   * path, jars included.
   *
   * @throws IllegalArgumentException if no package is given
   */
  public static JavaClasses mainClasses(String... packages) {
    Objects.requireNonNull(packages, "packages");
    if (packages.length == 0) {
      throw new IllegalArgumentException("packages must name at least one package to import");
    }
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(packages);
  }

  /**
   * Public classes outside {@code ..internal..} packages never name an {@code ..internal..} type in
   * the type of a public or protected field, nor in the return or parameter types (type arguments
   * included) of a public or protected method or constructor. Internal types may change in any
   * release; a public signature that names one would make them part of the API.
   */
  public static ArchRule noInternalTypesInPublicSignatures() {
    return classes()
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
                  Set<JavaClass> types = new LinkedHashSet<>();
                  if (m instanceof JavaField f) {
                    types.addAll(f.getType().getAllInvolvedRawTypes());
                  } else if (m instanceof JavaCodeUnit u) {
                    types.addAll(u.getReturnType().getAllInvolvedRawTypes());
                    u.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
                  }
                  for (JavaClass t : types) {
                    if (isInternal(t.getPackageName())) {
                      events.add(
                          SimpleConditionEvent.violated(
                              m, m.getFullName() + " exposes internal type " + t.getName()));
                    }
                  }
                }
              }
            })
        .allowEmptyShould(true);
  }

  /**
   * Every package under {@code rootPackage}, {@code rootPackage} itself included, is its own slice,
   * and no two slices depend on each other in a circle: each package can be read, tested and moved
   * on its own.
   *
   * @throws IllegalArgumentException if {@code rootPackage} is blank
   */
  public static ArchRule packagesFreeOfCycles(String rootPackage) {
    Objects.requireNonNull(rootPackage, "rootPackage");
    if (rootPackage.isBlank()) {
      throw new IllegalArgumentException("rootPackage must name a package, such as com.example");
    }
    int lastDot = rootPackage.lastIndexOf('.');
    // The root's parent plus one captured name or more, so the root package is a slice too.
    String pattern = lastDot < 0 ? "(**)" : rootPackage.substring(0, lastDot) + ".(**)";
    return slices().matching(pattern).should().beFreeOfCycles();
  }

  private static boolean isInternal(String packageName) {
    return packageName.endsWith(".internal")
        || packageName.contains(".internal.")
        || packageName.equals("internal")
        || packageName.startsWith("internal.");
  }
}
