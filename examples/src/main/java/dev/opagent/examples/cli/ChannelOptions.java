package dev.opagent.examples.cli;

import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.channels.WebhookChannel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.channels.SecretProvider;
import dev.opagent.channels.sendgrid.SendGridEmailChannel;
import dev.opagent.channels.shopify.ShopifyDiscountChannel;
import dev.opagent.channels.twilio.TwilioSmsChannel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where the commands that deliver send the actions: {@code --channel} and {@code --route}. The
 * provider channels ({@code shopify:}, {@code sendgrid:}, {@code twilio:}) read their credentials
 * from environment variables and receive their action type ({@code create_discount}, {@code
 * send_email}, {@code send_sms}) unless {@code --route} sends it elsewhere.
 */
final class ChannelOptions {

  @Option(
      names = "--channel",
      paramLabel = "SPEC",
      description =
          "jsonl:PATH, webhook:URL, log, shopify:SHOP (env SHOPIFY_ACCESS_TOKEN),"
              + " sendgrid:TEMPLATE_ID (env SENDGRID_API_KEY, SENDGRID_FROM) or"
              + " twilio:FROM_NUMBER_OR_MESSAGING_SERVICE_SID (env TWILIO_ACCOUNT_SID,"
              + " TWILIO_AUTH_TOKEN, optional TWILIO_STATUS_CALLBACK); repeatable (default:"
              + " jsonl:.opagent/actions.jsonl).")
  List<String> channelSpecs = new ArrayList<>();

  @Option(
      names = "--route",
      paramLabel = "ACTION_TYPE=CHANNEL",
      description =
          "Send an action type to a channel by name (jsonl, webhook, log, shopify, sendgrid,"
              + " twilio); repeatable.")
  Map<String, String> routes = Map.of();

  /** Where credentials are read; the process environment, replaced in tests. */
  Function<String, @Nullable String> environment = System::getenv;

  /**
   * The channels of {@code --channel} and {@code --route}, refusing a JSON-lines channel on one of
   * {@code inputs} (an option name and the file it reads). The channels stamp their receipts with
   * {@code clock}, the clock of the decisions.
   */
  ChannelRegistry registry(CommandLine cmd, Map<String, Path> inputs, Clock clock)
      throws IOException {
    List<String> specs =
        channelSpecs.isEmpty() ? List.of("jsonl:.opagent/actions.jsonl") : channelSpecs;
    ChannelRegistry.Builder b = ChannelRegistry.builder();
    String first = null;
    Map<String, String> providerRoutes = new LinkedHashMap<>();
    List<ActionChannel> opened = new ArrayList<>();
    try {
      for (String s : specs) {
        if (s.startsWith("jsonl:") && s.length() > 6) {
          Path file = Path.of(s.substring(6));
          for (Map.Entry<String, Path> in : inputs.entrySet()) {
            OutputFile.refuseSameFile(cmd, "--channel " + s, file, in.getKey(), in.getValue());
          }
        }
        ActionChannel c;
        try {
          c = channel(cmd, s, clock);
        } catch (ChannelException e) {
          throw new CommandLine.ParameterException(cmd, "--channel " + s + ": " + e.getMessage());
        }
        opened.add(c);
        b.register(c);
        String actionType = providerActionType(c);
        if (actionType != null) {
          providerRoutes.putIfAbsent(actionType, c.name());
        }
        if (first == null) {
          first = c.name();
        }
      }
    } catch (RuntimeException | IOException e) {
      for (ActionChannel c : opened) {
        try {
          c.close();
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
    b.fallback(first);
    providerRoutes.forEach(b::routeActionType);
    routes.forEach(b::routeActionType);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--route: " + e.getMessage());
    }
  }

  private static @Nullable String providerActionType(ActionChannel c) {
    if (c instanceof ShopifyDiscountChannel) {
      return "create_discount";
    }
    if (c instanceof SendGridEmailChannel) {
      return "send_email";
    }
    if (c instanceof TwilioSmsChannel) {
      return "send_sms";
    }
    return null;
  }

  private ActionChannel channel(CommandLine cmd, String spec, Clock clock) throws IOException {
    if (spec.equals("log")) {
      return LoggingChannel.builder().clock(clock).build();
    }
    if (spec.startsWith("jsonl:") && spec.length() > 6) {
      Path file = Path.of(spec.substring(6));
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      return JsonLinesChannel.builder(file).clock(clock).build();
    }
    if (spec.startsWith("webhook:") && spec.length() > 8) {
      String secret = System.getenv("OPAGENT_WEBHOOK_SECRET");
      if (secret == null || secret.isEmpty()) {
        throw new CommandLine.ParameterException(
            cmd,
            "--channel webhook: set OPAGENT_WEBHOOK_SECRET to the secret the receiver verifies");
      }
      URI url = URI.create(spec.substring(8));
      WebhookChannel.Builder w = WebhookChannel.builder().endpoint(url).secret(secret).clock(clock);
      if ("http".equals(url.getScheme()) && SegmentCommand.isLoopback(url)) {
        w.allowInsecureHttp();
      }
      try {
        return w.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new CommandLine.ParameterException(cmd, "--channel " + spec + ": " + e.getMessage());
      }
    }
    try {
      if (spec.startsWith("shopify:") && spec.length() > 8) {
        return ShopifyDiscountChannel.builder()
            .shop(spec.substring(8))
            .accessToken(
                secret(cmd, "shopify", "SHOPIFY_ACCESS_TOKEN", "the shop app's Admin API token"))
            .clock(clock)
            .build();
      }
      if (spec.startsWith("sendgrid:") && spec.length() > 9) {
        SecretProvider key = secret(cmd, "sendgrid", "SENDGRID_API_KEY", "a SendGrid API key");
        String from = required(cmd, "sendgrid", "SENDGRID_FROM", "the verified sender address");
        return SendGridEmailChannel.builder()
            .apiKey(key)
            .from(from)
            .templateId(spec.substring(9))
            .clock(clock)
            .build();
      }
      if (spec.startsWith("twilio:") && spec.length() > 7) {
        String sid = required(cmd, "twilio", "TWILIO_ACCOUNT_SID", "the account SID (AC...)");
        SecretProvider token =
            secret(cmd, "twilio", "TWILIO_AUTH_TOKEN", "the account's auth token");
        TwilioSmsChannel.Builder t =
            TwilioSmsChannel.builder()
                .accountSid(sid)
                .authToken(token)
                .sender(spec.substring(7))
                .clock(clock);
        String callback = environment.apply("TWILIO_STATUS_CALLBACK");
        if (callback != null && !callback.isBlank()) {
          t.statusCallback(callback);
        }
        return t.build();
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--channel " + spec + ": " + e.getMessage());
    }
    throw new CommandLine.ParameterException(
        cmd,
        "--channel "
            + spec
            + ": expected jsonl:PATH, webhook:URL or log, or a provider: shopify:SHOP,"
            + " sendgrid:TEMPLATE_ID or twilio:FROM_NUMBER_OR_MESSAGING_SERVICE_SID");
  }

  /** The variable {@code name}, which must be set, as a secret read from the environment. */
  private SecretProvider secret(CommandLine cmd, String provider, String name, String what) {
    required(cmd, provider, name, what);
    return SecretProvider.fromEnv(name, environment);
  }

  /** The value of variable {@code name}; a parameter error naming it when it is not set. */
  private String required(CommandLine cmd, String provider, String name, String what) {
    String v = environment.apply(name);
    if (v == null || v.isBlank()) {
      throw new CommandLine.ParameterException(
          cmd, "--channel " + provider + ": set " + name + " to " + what);
    }
    return v.trim();
  }
}
