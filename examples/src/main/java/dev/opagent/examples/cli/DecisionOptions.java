package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.InvalidPolicyException;
import dev.opagent.rules.LoadResult;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.problem.Problem;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The inputs every deciding command shares: agent, rules, policy, consent. */
class DecisionOptions {

  @Option(
      names = "--agent-arn",
      paramLabel = "ARN",
      defaultValue = "${env:OPAGENT_AGENT_ARN}",
      description =
          "The segment agent's runtime ARN (default: $OPAGENT_AGENT_ARN; without it and"
              + " without --endpoint the embedded simulator answers).")
  String agentArn;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "Any AgentCore-compatible endpoint (the simulator, a VPC endpoint, a proxy).")
  URI endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "AWS region (default: the ARN's).")
  String region;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Campaign rules (default: the bundled ones).")
  Path rules;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "Decision policy JSON: caps, quiet hours, approvals, budgets (default: the bundled one).")
  Path policy;

  @Option(
      names = "--consent",
      split = ",",
      paramLabel = "CHANNEL",
      description =
          "Channels to assume customers consented to when their record has no"
              + " \"consent\" array (email, sms, push, in_app, phone). Default: none, so such a"
              + " customer is contacted on no channel.")
  List<String> consent = List.of();

  RuleSet rules(CommandLine cmd) {
    if (rules != null && !Files.isReadable(rules)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --rules " + rules + ": no such readable file");
    }
    LoadResult loaded =
        RuleSetLoader.ofDefaults()
            .validate(rules == null ? RuleSource.defaults() : RuleSource.file(rules));
    if (loaded instanceof LoadResult.Invalid invalid) {
      StringBuilder sb = new StringBuilder("--rules " + invalid.source() + " does not validate:");
      for (Problem p : invalid.problems()) {
        sb.append(System.lineSeparator()).append("  ").append(p);
      }
      throw new CommandLine.ParameterException(cmd, sb.toString());
    }
    return ((LoadResult.Loaded) loaded).ruleSet();
  }

  DecisionPolicy policy(CommandLine cmd) {
    return policy(cmd, policy);
  }

  /** The policy in {@code policy}, or the bundled one; a usage error when it cannot be read. */
  static DecisionPolicy policy(CommandLine cmd, @Nullable Path policy) {
    if (policy == null) {
      return DecisionPolicy.ofDefaults();
    }
    try {
      return DecisionPolicy.fromJson(
          policy.toString(), Files.readString(policy, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --policy " + policy + ": " + e.getMessage());
    } catch (InvalidPolicyException e) {
      throw new CommandLine.ParameterException(cmd, "--policy is invalid: " + e.getMessage());
    }
  }

  /** Consent from the record's {@code "consent"} array, else {@code --consent}. */
  OperationAgent.ContextCustomizer customizer(CommandLine cmd) {
    Set<Channel> defaults = channels(consent, cmd);
    return (data, analysis, context) -> context.consents(consentOf(data, defaults));
  }

  /** The channels {@code data} consented to: its {@code "consent"} array, else {@code defaults}. */
  static Set<Channel> consentOf(CustomerData data, Set<Channel> defaults) {
    JsonNode own = data.extra().get("consent");
    if (own != null && own.isArray()) {
      List<String> ids = new ArrayList<>();
      own.forEach(n -> ids.add(n.asText()));
      return channels(ids, null);
    }
    return defaults;
  }

  /** The channels of {@code --consent}; a usage error for an unknown one. */
  Set<Channel> defaultConsent(CommandLine cmd) {
    return channels(consent, cmd);
  }

  private static Set<Channel> channels(List<String> ids, CommandLine cmd) {
    Set<Channel> out = new LinkedHashSet<>();
    for (String id : ids) {
      String s = id.trim().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      Channel c =
          switch (s) {
            case "email" -> Channel.EMAIL;
            case "sms" -> Channel.SMS;
            case "push" -> Channel.PUSH;
            case "in_app" -> Channel.IN_APP;
            case "phone" -> Channel.PHONE;
            default -> {
              if (cmd != null) {
                throw new CommandLine.ParameterException(
                    cmd,
                    "--consent: unknown channel '"
                        + id
                        + "'; use email, sms, push, in_app or phone");
              }
              yield Channel.contact(s);
            }
          };
      out.add(c);
    }
    return out;
  }

  /**
   * The loop on the operating store as the deciding commands wire it: the rules, policy and consent
   * of these options, the store's journal (as the ledger), approvals, operating state and segment
   * analyses, daily idempotency keys in the policy's zone, and {@code channels} within {@code
   * limits}, all on {@code clock}.
   */
  OperationAgent loopOn(
      CommandLine cmd,
      OperatingStore store,
      SegmentClient client,
      RuleSet rules,
      DecisionPolicy policy,
      Clock clock,
      ChannelRegistry channels,
      ChannelLimits limits) {
    return OperationAgent.builder()
        .segmentClient(client)
        .rules(rules)
        .clock(clock)
        .decisionEngine(e -> e.policy(policy).approvalGate(store.approvalGate(clock)))
        .executionService(
            s ->
                s.journal(store.journal())
                    .journalIsLedger(true)
                    .channels(channels)
                    .keys(IdempotencyKeys.daily(policy.operatingZone()))
                    .defaultLimits(limits))
        .operatingState(store.operatingState())
        .segmentStore(store.segmentStore())
        .context(customizer(cmd))
        .build();
  }

  /** The segment agent: the one configured, or the embedded simulator. */
  Agent agent(CommandLine cmd, Clock clock) {
    if (endpoint == null && (agentArn == null || agentArn.isBlank())) {
      AgentSimulator simulator =
          AgentSimulator.start(
              SimulatorConfig.builder()
                  .latency(Latency.parse("lognormal(20ms,0.5)"))
                  .clock(clock)
                  .build());
      SegmentClient client =
          SegmentClient.builder()
              .agentRuntimeArn(simulator.agentRuntimeArn())
              .endpointOverride(simulator.endpoint())
              .region(Region.US_WEST_2)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
              .fallback(new ReferenceSegmenter(clock))
              .build();
      return new Agent(client, simulator);
    }
    if (agentArn == null || agentArn.isBlank()) {
      throw new CommandLine.ParameterException(
          cmd, "--endpoint needs --agent-arn (or OPAGENT_AGENT_ARN)");
    }
    try {
      SegmentClientBuilder b = SegmentClient.builder().agentRuntimeArn(agentArn);
      if (region != null) {
        b.region(Region.of(region));
      }
      if (endpoint != null) {
        b.endpointOverride(endpoint);
        if (SegmentCommand.isLoopback(endpoint)) {
          b.credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        }
      }
      return new Agent(b.build(), null);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage());
    }
  }

  /** A segment client and, when embedded, the simulator behind it. */
  record Agent(SegmentClient client, AgentSimulator simulator) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      if (simulator != null) {
        simulator.close();
      }
    }
  }
}
