package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.channels.sendgrid.SendGridEmailChannel;
import dev.opagent.channels.shopify.ShopifyDiscountChannel;
import dev.opagent.channels.twilio.TwilioSmsChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --channel shopify:, sendgrid:, twilio:} build the provider channels from the environment.
 */
class ChannelOptionsTest {
  static final String TOKEN = "shpat_secret_value_0123";
  static final String SID = "AC0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  final CommandLine cmd = new CommandLine(CommandSpec.create());
  final Map<String, String> env = new HashMap<>();

  ChannelRegistry registry(String... specs) throws Exception {
    ChannelOptions o = new ChannelOptions();
    o.channelSpecs = List.of(specs);
    o.environment = env::get;
    return o.registry(cmd, Map.of(), Clock.systemUTC());
  }

  @Test
  void providerSpecs_withTheirVariables_buildTheChannelsAndRouteTheirActionTypes()
      throws Exception {
    env.put("SHOPIFY_ACCESS_TOKEN", TOKEN);
    env.put("SENDGRID_API_KEY", "SG.key");
    env.put("SENDGRID_FROM", "offers@shop.example");
    env.put("TWILIO_ACCOUNT_SID", SID);
    env.put("TWILIO_AUTH_TOKEN", "twilio-token");
    env.put("TWILIO_STATUS_CALLBACK", "https://hooks.shop.example/twilio/status");

    try (ChannelRegistry r =
        registry(
            "jsonl:" + dir.resolve("actions.jsonl"),
            "shopify:my-store",
            "sendgrid:d-template",
            "twilio:MG9752274e9e519418a7406176694466fa")) {
      assertThat(r.resolve("create_discount", "discount"))
          .isInstanceOf(ShopifyDiscountChannel.class);
      assertThat(r.resolve("send_email", "email")).isInstanceOf(SendGridEmailChannel.class);
      assertThat(r.resolve("send_sms", "sms")).isInstanceOf(TwilioSmsChannel.class);
      assertThat(r.resolve("send_push", "push").name()).isEqualTo("jsonl");
      assertThat(r.toString()).doesNotContain(TOKEN);
      assertThat(r.channel("twilio").orElseThrow().toString())
          .contains("messaging service")
          .contains("statusCallback=true");
    }
  }

  @Test
  void route_overridesTheProvidersDefaultRoute() throws Exception {
    env.put("SENDGRID_API_KEY", "SG.key");
    env.put("SENDGRID_FROM", "offers@shop.example");
    ChannelOptions o = new ChannelOptions();
    o.channelSpecs = List.of("sendgrid:d-template", "log");
    o.routes = Map.of("send_email", "log");
    o.environment = env::get;

    try (ChannelRegistry r = o.registry(cmd, Map.of(), Clock.systemUTC())) {
      assertThat(r.resolve("send_email", "email").name()).isEqualTo("log");
    }
  }

  @Test
  void missingVariable_isAParameterErrorNamingIt() {
    assertThatThrownBy(() -> registry("shopify:my-store"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("SHOPIFY_ACCESS_TOKEN");
    env.put("SENDGRID_API_KEY", "SG.key");
    assertThatThrownBy(() -> registry("sendgrid:d-template"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("SENDGRID_FROM");
    env.put("TWILIO_ACCOUNT_SID", SID);
    assertThatThrownBy(() -> registry("twilio:+15017122661"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("TWILIO_AUTH_TOKEN");
  }

  @Test
  void invalidValues_areParameterErrorsWithoutTheSecret() {
    env.put("SHOPIFY_ACCESS_TOKEN", TOKEN);
    env.put("TWILIO_ACCOUNT_SID", "not-a-sid");
    env.put("TWILIO_AUTH_TOKEN", "twilio-token");

    assertThatThrownBy(() -> registry("shopify:not a shop"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--channel shopify:not a shop")
        .hasMessageNotContaining(TOKEN);
    assertThatThrownBy(() -> registry("twilio:+15017122661"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("accountSid must be AC");
    assertThatThrownBy(() -> registry("smtp:mail.example"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("shopify:SHOP");
  }
}
