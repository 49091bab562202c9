package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.console.ConsoleServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code opagent console}: refuses to start without a token; serves the console with one. */
class ConsoleCommandTest {
  private static final String TOKEN = "a-console-token-of-some-length";

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private CommandLine command(Map<String, String> env) {
    CommandLine cmd = OpagentCommand.commandLine();
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    cmd.setErr(new PrintWriter(err, true));
    ConsoleCommand console = cmd.getSubcommands().get("console").getCommand();
    console.env = env;
    return cmd;
  }

  private String storeUrl() {
    return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
  }

  @Test
  void withoutToken_refusesToStart() {
    int code = command(Map.of()).execute("console", "--store", storeUrl(), "--port", "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("OPAGENT_CONSOLE_TOKEN");
    assertThat(dir.resolve("store.mv.db")).doesNotExist();
  }

  @Test
  void withAShortToken_refusesToStartAndDoesNotPrintIt() {
    int code =
        command(Map.of(ConsoleCommand.TOKEN_ENV, "short-tok"))
            .execute("console", "--store", storeUrl(), "--port", "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("at least 16").doesNotContain("short-tok");
  }

  @Test
  void withAnInvalidPolicy_refusesToStartNamingTheOption() throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"budgets\": {\"currency\": \"TRY\", \"global\": \"-5\"}}");

    int code =
        command(Map.of(ConsoleCommand.TOKEN_ENV, TOKEN))
            .execute("console", "--store", storeUrl(), "--policy", policy.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--policy is invalid");
  }

  @Test
  void withToken_servesTheConsoleOnLoopbackUntilStopped() throws Exception {
    Path rules = dir.resolve("rules.json");
    try (var in = getClass().getResourceAsStream("/dev/opagent/rules/default-campaigns.json")) {
      Files.write(rules, in.readAllBytes());
    }
    CommandLine cmd = command(Map.of(ConsoleCommand.TOKEN_ENV, TOKEN));
    ConsoleCommand console = cmd.getSubcommands().get("console").getCommand();
    CompletableFuture<ConsoleServer> started = new CompletableFuture<>();
    console.started = started::complete;
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                cmd.execute(
                    "console", "--store", storeUrl(), "--rules", rules.toString(), "--port", "0"));

    CompletableFuture.anyOf(started, run).get(30, TimeUnit.SECONDS);
    assertThat(started).as(err.toString()).isDone();
    ConsoleServer server = started.get();
    assertThat(server.url()).startsWith("http://127.0.0.1:");
    HttpResponse<String> login =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "login")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("name=\"csrf\"");
    console.stop.countDown();

    assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString())
        .contains("opagent console on http://127.0.0.1:")
        .doesNotContain(TOKEN);
  }
}
