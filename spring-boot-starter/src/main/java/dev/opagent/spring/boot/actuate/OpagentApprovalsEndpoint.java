package dev.opagent.spring.boot.actuate;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.store.OperatingStore;
import java.math.BigDecimal;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The approval requests waiting in the operating store ({@code opagentapprovals}), and their grant
 * or rejection through the same approval gate the decision engine files them with — as {@code
 * opagent approvals list | approve | reject} does from the command line.
 *
 * <ul>
 *   <li>{@code GET /actuator/opagentapprovals}: the pending requests, oldest first: id, scope,
 *       campaign, action type, the customer id masked (action scope only), why approval is needed
 *       (which names the cost or discount that requires it), who asked, when, and when it expires.
 *   <li>{@code POST /actuator/opagentapprovals/{id}/approve} or {@code .../reject} with {@code
 *       {"reason": "…"}}: decides one request; the actor is the authenticated principal, else
 *       {@value #ANONYMOUS_ACTOR}. A reason is required to reject. 404 for an unknown id, 409 when
 *       the request is no longer pending.
 * </ul>
 */
@Endpoint(id = "opagentapprovals")
public class OpagentApprovalsEndpoint {
  /** The actor recorded when the request carries no authenticated principal. */
  public static final String ANONYMOUS_ACTOR = "actuator";

  /** The reason recorded for a grant given without one. */
  public static final String DEFAULT_APPROVE_REASON = "approved through the actuator endpoint";

  private final OperatingStore store;
  private final ApprovalGate gate;
  private final Clock clock;

  /** Lists the requests of {@code store}; decides them through {@code gate}. */
  public OpagentApprovalsEndpoint(OperatingStore store, ApprovalGate gate, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.gate = Objects.requireNonNull(gate, "gate");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The pending approval requests, oldest first. */
  @ReadOperation
  public PendingApprovals pending() {
    Instant now = clock.instant();
    List<Approval> pending =
        store.approvalStore().pending().stream()
            .filter(r -> r.statusAt(now) == ApprovalStatus.PENDING)
            .sorted(Comparator.comparing(ApprovalRequest::requestedAt))
            .map(Approval::of)
            .toList();
    return new PendingApprovals(pending.size(), pending);
  }

  /**
   * Approves or rejects one pending request.
   *
   * @param id the request's id, from the list
   * @param decision {@code approve} or {@code reject}
   * @param reason why, recorded in the audit trail; required to reject
   */
  @WriteOperation
  public WebEndpointResponse<Object> decide(
      @Selector String id,
      @Selector String decision,
      @Nullable String reason,
      SecurityContext security) {
    String verb = decision.trim().toLowerCase(Locale.ROOT);
    if (!verb.equals("approve") && !verb.equals("reject")) {
      throw new InvalidEndpointRequestException(
          "unknown decision '" + decision + "': use approve or reject", "unknown decision");
    }
    boolean grant = verb.equals("approve");
    String why = reason == null || reason.isBlank() ? null : reason.trim();
    if (why == null) {
      if (!grant) {
        throw new InvalidEndpointRequestException(
            "a rejection needs a reason: send {\"reason\": \"…\"}", "reason missing");
      }
      why = DEFAULT_APPROVE_REASON;
    }
    String actor = actor(security);
    Optional<ApprovalRequest> before = gate.find(id);
    if (before.isEmpty()) {
      return new WebEndpointResponse<>(
          new Failure("no approval request has id " + id), WebEndpointResponse.STATUS_NOT_FOUND);
    }
    ApprovalRequest after =
        (grant ? gate.grant(id, actor, why) : gate.reject(id, actor, why)).orElseThrow();
    ApprovalStatus wanted = grant ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
    boolean decidedNow =
        before.get().status() == ApprovalStatus.PENDING
            && after.status() == wanted
            && actor.equals(after.decidedBy())
            && why.equals(after.reason());
    if (!decidedNow) {
      return new WebEndpointResponse<>(
          new Failure(
              "approval request " + id + " is not pending (" + after.status() + "); unchanged"),
          409);
    }
    return new WebEndpointResponse<>(Decided.of(after), WebEndpointResponse.STATUS_OK);
  }

  private static String actor(@Nullable SecurityContext security) {
    Principal p = security == null ? null : security.getPrincipal();
    String name = p == null ? null : p.getName();
    return name == null || name.isBlank() ? ANONYMOUS_ACTOR : name;
  }

  /**
   * A customer id as it may be shown: its last two characters after asterisks, or asterisks alone
   * when it is short.
   */
  static String mask(String customerId) {
    return customerId.length() <= 4
        ? "****"
        : "****" + customerId.substring(customerId.length() - 2);
  }

  /** The pending requests and their number. */
  public record PendingApprovals(int count, List<Approval> approvals) {}

  /**
   * One pending request.
   *
   * @param id the id to approve or reject it by
   * @param scope campaign (every action of the campaign), action (one action for one customer) or
   *     custom
   * @param campaign the campaign; null for a custom key
   * @param actionType the action type; action scope only
   * @param customer the customer id, masked; action scope only
   * @param why why approval is needed, such as the expected cost or the discount that requires it
   * @param requestedBy who asked
   * @param requestedAt when
   * @param expiresAt when it expires unanswered
   * @param cost the expected cost of what it is for, in the budget currency; null when not known
   */
  public record Approval(
      String id,
      String scope,
      @Nullable String campaign,
      @Nullable String actionType,
      @Nullable String customer,
      String why,
      String requestedBy,
      Instant requestedAt,
      Instant expiresAt,
      @Nullable BigDecimal cost) {
    static Approval of(ApprovalRequest r) {
      Parts p = Parts.of(r.key());
      String customerId = p.customerId();
      return new Approval(
          r.id(),
          p.scope(),
          p.campaign(),
          p.actionType(),
          customerId == null ? null : mask(customerId),
          r.summary(),
          r.requestedBy(),
          r.requestedAt(),
          r.deadline(),
          r.cost());
    }
  }

  /**
   * A request just decided.
   *
   * @param id its id
   * @param status APPROVED or REJECTED
   * @param decidedBy the actor
   * @param decidedAt when
   * @param reason the actor's reason
   * @param validUntil until when a grant lets its actions run; null for a rejection
   */
  public record Decided(
      String id,
      ApprovalStatus status,
      @Nullable String decidedBy,
      @Nullable Instant decidedAt,
      @Nullable String reason,
      @Nullable Instant validUntil) {
    static Decided of(ApprovalRequest r) {
      return new Decided(
          r.id(), r.status(), r.decidedBy(), r.decidedAt(), r.reason(), r.validUntil());
    }
  }

  /** Why a decision was not taken. */
  public record Failure(String error) {}

  /**
   * A key read back into its parts, as the command line reads it: {@code campaign:<campaign>} or
   * {@code action:<campaign>:<customer>:<actionType>}; others are {@code custom}.
   */
  record Parts(
      String scope,
      @Nullable String campaign,
      @Nullable String actionType,
      @Nullable String customerId) {
    static Parts of(ApprovalKey key) {
      String v = key.value();
      if (v.startsWith("campaign:") && v.length() > "campaign:".length()) {
        return new Parts("campaign", v.substring("campaign:".length()), null, null);
      }
      if (v.startsWith("action:")) {
        String rest = v.substring("action:".length());
        int first = rest.indexOf(':');
        int last = rest.lastIndexOf(':');
        if (first > 0 && last > first + 1 && last < rest.length() - 1) {
          return new Parts(
              "action",
              rest.substring(0, first),
              rest.substring(last + 1),
              rest.substring(first + 1, last));
        }
      }
      return new Parts("custom", null, null, null);
    }
  }
}
