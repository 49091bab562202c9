package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.channels.inbound.Provider;
import dev.opagent.channels.inbound.SendGridSignature;
import dev.opagent.channels.inbound.WebhookSecrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code opagent receive}: webhooks over HTTP into the event processor on the store. */
class ReceiveCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("receiving webhooks on http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  @AfterEach
  void restoreSecrets() {
    ReceiveCommand.secrets = WebhookSecrets.fromEnvironment();
  }

  private static int run(StringWriter err, String... args) {
    CommandLine cmd = OpagentCommand.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    return cmd.execute(args);
  }

  @Test
  void receive_routesTheProvidersWithASecret_verifiesAndHandsOn() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    String publicKey = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    ReceiveCommand.secrets =
        WebhookSecrets.of(
            Map.of(Provider.SENDGRID, publicKey, Provider.SHOPIFY, "shop-secret-value"));
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread command =
        new Thread(
            () ->
                code.set(
                    run(
                        err,
                        "receive",
                        "--port",
                        "0",
                        "--customers",
                        "data/seed-customers.jsonl",
                        "--consent",
                        "email",
                        "--store",
                        "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
                        "--channel",
                        "jsonl:" + dir.resolve("actions.jsonl"),
                        "--deliver-every",
                        "1s",
                        "--stop-after",
                        "4s")));
    command.start();
    int port = -1;
    for (int i = 0; i < 300 && port < 0; i++) {
      Matcher m = LISTENING.matcher(err.toString());
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
      } else {
        Thread.sleep(50);
      }
    }
    assertThat(port).as(err.toString()).isPositive();

    long now = Instant.now().getEpochSecond();
    byte[] body =
        ("[{\"email\": \"someone@example.com\", \"timestamp\": "
                + now
                + ", \"event\": \"unsubscribe\", \"sg_event_id\": \"ev-1\","
                + " \"opagent_customer\": \"C-TEST-001\"}]")
            .getBytes(StandardCharsets.UTF_8);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(keys.getPrivate());
    s.update(Long.toString(now).getBytes(StandardCharsets.UTF_8));
    s.update(body);
    String signature = Base64.getEncoder().encodeToString(s.sign());
    HttpClient http = HttpClient.newHttpClient();
    URI url = URI.create("http://127.0.0.1:" + port + "/webhooks/sendgrid");
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(url)
                .header(SendGridSignature.SIGNATURE, signature)
                .header(SendGridSignature.TIMESTAMP, Long.toString(now))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(url)
                .header(SendGridSignature.SIGNATURE, signature)
                .header(SendGridSignature.TIMESTAMP, Long.toString(now + 1))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> twilio =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/twilio"))
                .POST(HttpRequest.BodyPublishers.ofString("MessageSid=SM1&MessageStatus=sent"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    command.join(20_000);

    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).contains("\"accepted\":1");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(twilio.statusCode()).isEqualTo(404);
    assertThat(code.get()).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains("sendgrid /webhooks/sendgrid")
        .contains("shopify /webhooks/shopify")
        .contains("twilio not routed: TWILIO_AUTH_TOKEN is not set")
        .contains("stopped")
        .doesNotContain(publicKey)
        .doesNotContain("shop-secret-value")
        .doesNotContain("someone@example.com");
  }

  @Test
  void receive_withoutAnySecret_isAUsageError() {
    ReceiveCommand.secrets = WebhookSecrets.of(Map.of());
    StringWriter err = new StringWriter();

    int code = run(err, "receive", "--port", "0", "--store", "jdbc:h2:mem:receive-none");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no provider has a secret");
  }
}
