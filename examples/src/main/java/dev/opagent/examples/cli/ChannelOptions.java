package dev.opagent.examples.cli;

import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.channels.WebhookChannel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ChannelException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the commands that deliver send the actions: {@code --channel} and {@code --route}. */
final class ChannelOptions {

  @Option(
      names = "--channel",
      paramLabel = "SPEC",
      description =
          "jsonl:PATH, webhook:URL or log; repeatable (default: jsonl:.opagent/actions.jsonl).")
  List<String> channelSpecs = new ArrayList<>();

  @Option(
      names = "--route",
      paramLabel = "ACTION_TYPE=CHANNEL",
      description = "Send an action type to a channel by name (jsonl, webhook, log); repeatable.")
  Map<String, String> routes = Map.of();

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
    routes.forEach(b::routeActionType);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--route: " + e.getMessage());
    }
  }

  private static ActionChannel channel(CommandLine cmd, String spec, Clock clock)
      throws IOException {
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
    throw new CommandLine.ParameterException(
        cmd, "--channel " + spec + ": expected jsonl:PATH, webhook:URL or log");
  }
}
