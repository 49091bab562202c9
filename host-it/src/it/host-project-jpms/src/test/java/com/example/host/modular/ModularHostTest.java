package com.example.host.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opagent.agent.tools.SdkTools;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.segment.SegmentAnalysis;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The opagent modules as a modular host meets them on the module path. */
class ModularHostTest {

  private static final String CUSTOMER =
      "{\"customerId\":\"C-1001\",\"city\":\"Istanbul\","
          + "\"customer\":{\"customerId\":\"C-1001\",\"age\":32,\"gender\":\"F\","
          + "\"registeredAt\":\"2024-03-15T00:00:00\",\"productHistory\":[{\"productId\":\"P-2001\","
          + "\"category\":\"SKINCARE\",\"totalQuantity\":8,\"totalSpent\":479.20,\"orderCount\":8,"
          + "\"lastPurchase\":\"2026-01-20T00:00:00\",\"avgDaysBetween\":30}]},"
          + "\"region\":{\"name\":\"Marmara\",\"climateType\":\"Temperate\","
          + "\"medianBasket\":75.0,\"trend\":\"SKINCARE\"},\"currentSeason\":\"Winter\"}";

  @Test
  void theHostAndTheLibraries_areNamedModules() {
    assertEquals("com.example.host.modular", ModularHost.class.getModule().getName());
    // the segment client has a module-info; the others are found by their stable manifest names
    assertFalse(SegmentAnalysis.class.getModule().getDescriptor().isAutomatic());
    assertEquals("dev.opagent.segment", SegmentAnalysis.class.getModule().getName());
    assertEquals("dev.opagent.agent.tools", SdkTools.class.getModule().getName());
    for (String name :
        new String[] {"dev.opagent.rules", "dev.opagent.agent", "dev.opagent.store"}) {
      assertTrue(ModuleLayer.boot().findModule(name).isPresent(), name);
    }
  }

  @Test
  void internalPackages_areNotExported_soTheHostCannotReachThem() throws Exception {
    Module segment = SegmentAnalysis.class.getModule();
    Module host = ModularHost.class.getModule();
    assertTrue(segment.isExported("dev.opagent.segment", host));
    assertFalse(segment.isExported("dev.opagent.segment.internal", host));
    assertFalse(segment.isExported("dev.opagent.segment.internal.wire", host));
    assertFalse(segment.isOpen("dev.opagent.segment.internal.wire", host));

    Class<?> internal = Class.forName("dev.opagent.segment.internal.wire.Json");
    for (Method m : internal.getDeclaredMethods()) {
      assertFalse(m.trySetAccessible(), m + " is reachable from the host");
    }
  }

  @Test
  void jsonThroughJackson_reachesTheSegmentModulesWireTypes() {
    SegmentAnalysis analysis = ModularHost.analyse(CUSTOMER);

    assertEquals(analysis, SegmentAnalysis.fromJson(analysis.toJson()));
  }

  @Test
  void bundledResources_areReadOnTheModulePath() {
    assertFalse(ModularHost.rules().toString().isEmpty());
    assertFalse(ModularHost.templates().toString().isEmpty());
    // registering a tool reads its bundled input schema
    ToolRegistry registry =
        SdkTools.builder()
            .customerContextProvider(
                id -> {
                  throw new IllegalStateException("not called while registering");
                })
            .rules(ModularHost.rules())
            .build()
            .registerInto(ToolRegistry.create());
    assertTrue(ModularHost.tools(registry).toString().contains("check_eligibility"));
  }
}
