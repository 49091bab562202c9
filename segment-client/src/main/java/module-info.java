/**
 * Typed, resilient, batched client of a customer-segment agent hosted on Amazon Bedrock AgentCore
 * Runtime.
 *
 * <p>Exports the client API ({@code dev.opagent.segment}) and the extension points a host
 * implements ({@code dev.opagent.segment.spi}); {@code dev.opagent.segment.internal} stays
 * encapsulated (its wire format reaches only the testkit and Jackson). The AWS and Jackson types in
 * the API (credentials providers, regions, the AgentCore client, {@code JsonNode}) come with this
 * module.
 */
// the AWS SDK jars name their modules in their manifests; dev.opagent.testkit is built later
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.opagent.segment {
  exports dev.opagent.segment;
  exports dev.opagent.segment.spi;

  // the testkit's simulated agent speaks the same wire format; no other module sees these types
  exports dev.opagent.segment.internal.wire to
      dev.opagent.testkit;

  // Jackson instantiates the wire (de)serializers named in the model's annotations, some of them
  // package-private beside the model
  opens dev.opagent.segment to
      com.fasterxml.jackson.databind;
  opens dev.opagent.segment.internal.wire to
      com.fasterxml.jackson.databind;

  requires transitive com.fasterxml.jackson.databind;
  requires java.net.http;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.regions;
  requires transitive software.amazon.awssdk.services.bedrockagentcore;
  requires com.github.benmanes.caffeine;
  requires dev.failsafe.core;
  requires io.netty.common;
  requires io.netty.transport;
  requires org.reactivestreams;
  requires org.slf4j;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.http.nio.netty;
  requires static transitive org.jspecify;
}
