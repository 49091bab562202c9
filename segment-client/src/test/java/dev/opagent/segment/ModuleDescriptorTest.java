package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor: the module exports its API and SPI packages and nothing else; the
 * internal wire format reaches only the testkit (the simulated agent speaks it) and Jackson's
 * reflection.
 */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws URISyntaxException {
    Path classes =
        Path.of(SegmentClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(classes)
        .find("dev.opagent.segment")
        .orElseThrow(() -> new AssertionError("no module dev.opagent.segment in " + classes))
        .descriptor();
  }

  @Test
  void descriptor_isAnExplicitModule_notAnAutomaticOne() throws Exception {
    assertThat(descriptor().isAutomatic()).isFalse();
    assertThat(descriptor().isOpen()).isFalse();
  }

  @Test
  void exports_apiAndSpiToAll_internalOnlyToTheTestkit() throws Exception {
    Map<String, Set<String>> exports =
        descriptor().exports().stream()
            .collect(
                Collectors.toMap(
                    ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));

    assertThat(exports)
        .isEqualTo(
            Map.of(
                "dev.opagent.segment", Set.of(),
                "dev.opagent.segment.spi", Set.of(),
                "dev.opagent.segment.internal.wire", Set.of("dev.opagent.testkit")));
  }

  @Test
  void opens_onlyTheModelAndTheWireFormat_onlyToJackson() throws Exception {
    Map<String, Set<String>> opens =
        descriptor().opens().stream()
            .collect(
                Collectors.toMap(ModuleDescriptor.Opens::source, ModuleDescriptor.Opens::targets));

    assertThat(opens)
        .isEqualTo(
            Map.of(
                "dev.opagent.segment", Set.of("com.fasterxml.jackson.databind"),
                "dev.opagent.segment.internal.wire", Set.of("com.fasterxml.jackson.databind")));
  }

  @Test
  void typesInTheApi_comeWithTheModule() throws Exception {
    Set<String> transitive =
        descriptor().requires().stream()
            .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());

    assertThat(transitive)
        .contains(
            "com.fasterxml.jackson.databind",
            "software.amazon.awssdk.auth",
            "software.amazon.awssdk.regions",
            "software.amazon.awssdk.services.bedrockagentcore");
  }

  @Test
  void testsOnTheModulePath_runInsideTheNamedModule() {
    // surefire patches the tests into the module: Jackson's reflection and the exports are
    // exercised
    // by every test here exactly as a modular host sees them
    assertThat(SegmentClient.class.getModule().getName()).isEqualTo("dev.opagent.segment");
  }
}
