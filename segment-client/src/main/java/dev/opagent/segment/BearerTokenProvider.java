package dev.opagent.segment;

/**
 * Where a {@link SegmentClient} gets OAuth access tokens for an agent runtime with inbound OAuth:
 * the host's identity provider (a client-credentials grant against Cognito, Okta, Entra ID…). The
 * client asks for a token before the first call, again when the current one is within a minute of
 * its {@link BearerToken#expiresAt()}, and at once when the agent answers 401 (the call is then
 * sent once more with the new token). Calls are never made from more than one thread at a time, and
 * never on a thread that sends a request. Implementations may block (a network call).
 */
@FunctionalInterface
public interface BearerTokenProvider {

  /**
   * A fresh token.
   *
   * @throws Exception if none can be had; the calls waiting for it fail with {@link
   *     ErrorCode#ACCESS_DENIED} (the exception's message is not repeated: it may hold secrets)
   */
  BearerToken fetch() throws Exception;
}
