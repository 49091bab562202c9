package dev.opagent.examples.cli;

import dev.opagent.agent.event.InMemoryCustomerDirectory;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.channels.inbound.ActionLookup;
import dev.opagent.channels.inbound.CustomerResolver;
import dev.opagent.channels.inbound.DiscountCodeResolver;
import dev.opagent.channels.inbound.FeedbackReceiver;
import dev.opagent.channels.inbound.Provider;
import dev.opagent.channels.inbound.WebhookSecrets;
import dev.opagent.channels.inbound.WebhookServer;
import dev.opagent.channels.shopify.ShopifyDiscountChannel;
import dev.opagent.rules.RuleSet;
import dev.opagent.segment.CustomerData;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opagent receive}: receives provider webhooks into the event processor. */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent receive [--port P] [--store URL] [--customers FILE] [OPTIONS]",
    description = {
      "Receives the webhooks of Shopify (orders/create: a purchase, attributed to the action"
          + " whose discount code was used, else by last touch), SendGrid (delivered, open,"
          + " click: interactions; bounce, dropped, unsubscribe, group_unsubscribe, spamreport:"
          + " consent to e-mail withdrawn and pending e-mails cancelled) and Twilio (delivered;"
          + " error 21610 and STOP replies: consent to SMS withdrawn and pending SMS cancelled)"
          + " on POST /webhooks/shopify, /webhooks/sendgrid and /webhooks/twilio, verifies each"
          + " provider's signature and hands them to the event processor on --store, as"
          + " opagent events does. Scheduled actions are delivered every --deliver-every.",
      "Secrets come from the environment: SHOPIFY_WEBHOOK_SECRET (the app's client secret),"
          + " SENDGRID_WEBHOOK_PUBLIC_KEY (the Signed Event Webhook's verification key) and"
          + " TWILIO_AUTH_TOKEN. A provider whose secret is not set is not routed."
    },
    footer = {
      "",
      "Example:",
      "  SENDGRID_WEBHOOK_PUBLIC_KEY=MFkw… bin/opagent receive --port 8088 \\",
      "      --store jdbc:h2:file:./out/store --customers examples/data/seed-customers.jsonl \\",
      "      --consent email --public-url https://hooks.example.com",
      "",
      "Customers are matched by the e-mail, phone and shopifyCustomerId fields of --customers,"
          + " or through the action the webhook names (opagent_key).",
      "Exit codes: 0 stopped, 2 usage, rules, policy, store or secret error."
    })
public final class ReceiveCommand implements Callable<Integer> {

  /** Where the secrets are read: the environment (tests replace it). */
  static volatile WebhookSecrets secrets = WebhookSecrets.fromEnvironment();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The port to listen on; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port = 8080;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description =
          "The address to listen on (default: ${DEFAULT-VALUE}; put a TLS proxy in front and"
              + " keep it on loopback).")
  String bind = "127.0.0.1";

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "The URL the providers call when a proxy is in front, such as"
              + " https://hooks.example.com: Twilio signs the URL it called (default: this"
              + " server's).")
  URI publicUrl;

  @Option(
      names = "--customers",
      paramLabel = "FILE",
      description =
          "JSON lines of customer data: the directory purchases and unsubscribes are written to,"
              + " and whose email, phone and shopifyCustomerId fields identify webhooks' customers"
              + " (default: none).")
  Path customers;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "BYTES",
      description =
          "The largest webhook body accepted; a larger one gets 413 (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes = WebhookServer.DEFAULT_MAX_BODY_BYTES;

  @Option(
      names = "--deliver-every",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "How often the scheduled actions now due are delivered (default: PT1M).")
  Duration deliverEvery = Duration.ofMinutes(1);

  @Option(
      names = "--stop-after",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Stop after this long (default: run until interrupted).")
  Duration stopAfter;

  @Mixin DecisionOptions decision;

  @Mixin ChannelOptions channelOptions;

  @Mixin StoreOptions store;

  @Override
  public Integer call() throws IOException, InterruptedException {
    CommandLine cmd = spec.commandLine();
    PrintWriter err = cmd.getErr();
    if (deliverEvery.isNegative() || deliverEvery.isZero()) {
      throw new CommandLine.ParameterException(cmd, "--deliver-every must be positive");
    }
    if (stopAfter != null && stopAfter.isNegative()) {
      throw new CommandLine.ParameterException(cmd, "--stop-after must not be negative");
    }
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(cmd, "--port must be between 0 and 65535");
    }
    if (maxBodyBytes < 1) {
      throw new CommandLine.ParameterException(cmd, "--max-body-bytes must be positive");
    }
    if (customers != null && !Files.isReadable(customers)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --customers " + customers + ": no such readable file");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(cmd, "--bind " + bind + ": unknown address");
    }
    WebhookSecrets secrets = ReceiveCommand.secrets;
    List<String> missing = new ArrayList<>();
    for (Provider p : Provider.values()) {
      if (secrets.secret(p).isEmpty()) {
        missing.add(p.id() + " not routed: " + p.environmentVariable() + " is not set");
      }
    }
    if (missing.size() == Provider.values().length) {
      throw new CommandLine.ParameterException(
          cmd,
          "no provider has a secret: set SHOPIFY_WEBHOOK_SECRET, SENDGRID_WEBHOOK_PUBLIC_KEY or"
              + " TWILIO_AUTH_TOKEN");
    }

    RuleSet rules = decision.rules(cmd);
    DecisionPolicy policy = decision.policy(cmd);
    List<String> bad = new ArrayList<>();
    List<CustomerData> known =
        customers == null ? List.of() : EventLoop.readCustomers(customers, bad);
    InMemoryCustomerDirectory directory = new InMemoryCustomerDirectory(known);
    Map<String, Path> inputs = new HashMap<>();
    inputs.put("--customers", customers);
    inputs.put("--rules", decision.rules);
    inputs.put("--policy", decision.policy);
    Clock clock = Clock.systemUTC();
    ChannelRegistry channels = channelOptions.registry(cmd, inputs, clock);

    try (EventLoop loop =
        EventLoop.open(cmd, decision, store, rules, policy, channels, directory, clock)) {
      FeedbackReceiver receiver =
          FeedbackReceiver.builder()
              .secrets(secrets)
              .events(loop.processor)
              .interactions(loop.store.feedback())
              .actions(ActionLookup.of(loop.store.journal()))
              // the codes --channel shopify: creates name their action
              .discountCodes(
                  DiscountCodeResolver.ofShopifyCodes(ShopifyDiscountChannel.DEFAULT_CODE_PREFIX))
              .customers(CustomerResolver.byContactFields(known))
              .clock(clock)
              .build();
      Map<Provider, String> problems = receiver.problems();
      if (!problems.isEmpty()) {
        throw new CommandLine.ParameterException(cmd, String.join("; ", problems.values()));
      }
      WebhookServer.Builder sb =
          WebhookServer.builder()
              .receiver(receiver)
              .bind(address)
              .port(port)
              .maxBodyBytes(maxBodyBytes);
      if (publicUrl != null) {
        sb.publicUrl(publicUrl);
      }
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                try {
                  stopped.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "opagent-receive-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try (WebhookServer server = sb.start()) {
        Set<Provider> routed = server.routed();
        String host = server.address().getAddress().getHostAddress();
        err.printf(
            "receiving webhooks on http://%s:%d (%d customers), store %s%n",
            host.contains(":") ? "[" + host + "]" : host,
            server.port(),
            directory.size(),
            store.masked());
        for (Provider p : routed) {
          err.printf("  %s %s%n", p.id(), p.path());
        }
        missing.forEach(m -> err.println("  " + m));
        bad.forEach(b -> err.println("  skipped " + b));
        err.flush();
        long deadline =
            stopAfter == null ? Long.MAX_VALUE : System.nanoTime() + stopAfter.toNanos();
        while (true) {
          long left = deadline - System.nanoTime();
          if (left <= 0
              || stop.await(Math.min(left, deliverEvery.toNanos()), TimeUnit.NANOSECONDS)) {
            break;
          }
          loop.processor.deliverDue();
        }
        loop.processor.deliverDue();
      } finally {
        stopped.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for this
        }
      }
    }
    err.println("stopped");
    err.flush();
    return 0;
  }
}
