package dev.opagent.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.opagent.testkit.arch.fixture.Leaky;
import dev.opagent.testkit.arch.fixture.Tidy;
import dev.opagent.testkit.arch.fixture.internal.Hidden;
import org.junit.jupiter.api.Test;

class ApiRulesTest {

  @Test
  void noInternalTypesInPublicSignatures_leakInATypeArgument_isReported() {
    JavaClasses classes = new ClassFileImporter().importClasses(Leaky.class, Hidden.class);
    assertThatThrownBy(() -> ApiRules.noInternalTypesInPublicSignatures().check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Leaky.hidden()")
        .hasMessageContaining("exposes internal type " + Hidden.class.getName());
  }

  @Test
  void noInternalTypesInPublicSignatures_privateUse_passes() {
    JavaClasses classes = new ClassFileImporter().importClasses(Tidy.class, Hidden.class);
    ApiRules.noInternalTypesInPublicSignatures().check(classes);
  }

  @Test
  void packagesFreeOfCycles_twoPackagesInACircle_isReported() {
    JavaClasses classes =
        new ClassFileImporter().importPackages("dev.opagent.testkit.arch.fixture.cycle");
    assertThatThrownBy(
            () ->
                ApiRules.packagesFreeOfCycles("dev.opagent.testkit.arch.fixture.cycle")
                    .check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected");
  }

  @Test
  void arguments_missing_failWithTheFix() {
    assertThatThrownBy(ApiRules::mainClasses)
        .hasMessage("packages must name at least one package to import");
    assertThatThrownBy(() -> ApiRules.packagesFreeOfCycles(" "))
        .hasMessage("rootPackage must name a package, such as com.example");
    assertThat(ApiRules.packagesFreeOfCycles("dev.opagent").getDescription())
        .contains("free of cycles");
  }
}
