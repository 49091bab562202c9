package dev.opagent.console.internal;

import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.rules.Rule;
import dev.opagent.rules.Trigger;
import dev.opagent.store.RecordedRound;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/** What the templates render: plain values, already masked where they name a customer. */
public final class Views {
  private Views() {}

  /** Shown instead of all but the last two characters of a customer id. */
  public static final String MASK = "****";

  /** {@code id} as pages show it: {@code ****} and its last two characters, unless revealed. */
  public static String customer(@Nullable String id, boolean reveal) {
    if (id == null || id.isEmpty()) {
      return "";
    }
    if (reveal) {
      return id;
    }
    return id.length() <= 2 ? MASK : MASK + id.substring(id.length() - 2);
  }

  /** An amount with at least two decimals and no trailing zeros beyond them: 2.5000 → 2.50. */
  public static String money(BigDecimal amount) {
    return amount.setScale(Math.max(2, amount.stripTrailingZeros().scale())).toPlainString();
  }

  /** An instant to the second, in UTC. */
  public static String time(@Nullable Instant at) {
    return at == null ? "" : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** What every page needs: where the console is mounted, who is logged in, the form token. */
  public record Page(
      String base,
      String title,
      String active,
      String operator,
      String csrf,
      boolean showCustomerIds,
      @Nullable String notice,
      @Nullable String error) {}

  /** One pending approval request. */
  public record ApprovalRow(
      String id,
      String scope,
      String campaign,
      String actionType,
      String customer,
      String summary,
      String requestedBy,
      String requestedAt,
      String expiresAt,
      String cost) {

    public static ApprovalRow of(ApprovalRequest r, boolean reveal) {
      Key k = Key.of(r.key());
      BigDecimal cost = r.cost();
      return new ApprovalRow(
          r.id(),
          k.scope(),
          k.campaign(),
          k.actionType(),
          Views.customer(k.customerId(), reveal),
          r.summary(),
          r.requestedBy(),
          time(r.requestedAt()),
          time(r.deadline()),
          cost == null ? "–" : money(cost));
    }
  }

  /** One audit event, of an approval or of a campaign. */
  public record AuditRow(
      String at, String type, String subject, String actor, String reason, Instant sortKey) {

    public static AuditRow of(AuditEvent e, boolean reveal) {
      Key k = Key.of(e.key());
      String subject =
          switch (k.scope()) {
            case "campaign" -> "approval " + e.requestId() + ", campaign " + k.campaign();
            case "action" ->
                "approval "
                    + e.requestId()
                    + ", "
                    + k.actionType()
                    + " of "
                    + k.campaign()
                    + " for "
                    + customer(k.customerId(), reveal);
            default -> "approval " + e.requestId();
          };
      return new AuditRow(time(e.at()), e.type().name(), subject, e.actor(), e.reason(), e.at());
    }

    public static AuditRow of(CampaignAudit.Event e) {
      return new AuditRow(
          time(e.at()),
          "CAMPAIGN_" + e.type().name(),
          "campaign " + e.campaign(),
          e.actor(),
          e.reason(),
          e.at());
    }
  }

  /** One campaign of the rules file. */
  public record CampaignRow(
      String id,
      String name,
      int priority,
      boolean enabled,
      String state,
      String trigger,
      String eligibleLatestRound,
      long plannedLatestRun,
      long delivered,
      long conversions,
      String conversionRate,
      String revenue,
      String cost,
      String roi) {

    /**
     * The row of {@code r}: the customers it found eligible in the latest recorded round (null when
     * no round was recorded), its actions planned in the latest run and its metrics as of the last
     * feedback ingestion.
     */
    public static CampaignRow of(
        Rule r, Instant now, @Nullable Long eligibleLatestRound, long plannedLatestRun, Metrics m) {
      String state = !r.enabled() ? "disabled" : r.isActive(now) ? "active" : "outside its window";
      Trigger t = r.trigger();
      String trigger = t == null ? "rounds" : "event " + t.event() + " within " + t.within();
      return new CampaignRow(
          r.id(),
          r.name(),
          r.priority(),
          r.enabled(),
          state,
          trigger,
          eligibleLatestRound == null ? "–" : String.valueOf(eligibleLatestRound),
          plannedLatestRun,
          m.delivered(),
          m.conversions(),
          m.delivered() == 0 ? "–" : String.format(Locale.ROOT, "%.2f%%", m.conversionRate() * 100),
          m.revenue().setScale(2, RoundingMode.HALF_UP).toPlainString(),
          m.cost().setScale(2, RoundingMode.HALF_UP).toPlainString(),
          Double.isNaN(m.roi()) || Double.isInfinite(m.roi())
              ? "–"
              : String.format(Locale.ROOT, "%.0f%%", m.roi() * 100));
    }
  }

  /** One run of the journal. */
  public record RunRow(
      String id,
      String state,
      String updatedAt,
      long total,
      long pending,
      long executing,
      long completed,
      long failed,
      long cancelled,
      @Nullable RecordedRound planned) {

    /** A count of the recorded round, or a dash when the round was not recorded. */
    private static String count(@Nullable RecordedRound planned, ToLongFunction<RecordedRound> n) {
      return planned == null ? "–" : String.valueOf(n.applyAsLong(planned));
    }

    public String customers() {
      return count(planned, RecordedRound::customers);
    }

    public String chosen() {
      return count(planned, RecordedRound::chosen);
    }

    public String deferred() {
      return count(planned, RecordedRound::deferred);
    }

    public String blocked() {
      return count(planned, RecordedRound::blocked);
    }

    /** {@code r} with what its round planned, when the round was recorded. */
    public static RunRow of(Runs.Run r, @Nullable RecordedRound planned) {
      return new RunRow(
          r.id(),
          r.state(),
          time(r.updatedAt()),
          r.total(),
          r.count(ExecutionState.PENDING),
          r.count(ExecutionState.EXECUTING),
          r.count(ExecutionState.COMPLETED),
          r.count(ExecutionState.FAILED),
          r.count(ExecutionState.CANCELLED),
          planned);
    }
  }

  /**
   * One action of the journal: what was planned, for whom (masked), the verdicts it carries (the
   * guardrails it passed when planned, its approval if it needed one) and what became of it.
   */
  public record ActionRow(
      String key,
      String run,
      String customer,
      String campaign,
      String actionType,
      String channel,
      String variant,
      String cost,
      String plannedAt,
      String state,
      int attempts,
      String updatedAt,
      List<String> verdicts,
      String outcome) {

    public static ActionRow of(
        Actions.Action a, @Nullable ApprovalRequest approval, boolean reveal) {
      ActionRequest r = a.request();
      List<String> verdicts = new ArrayList<>();
      verdicts.add("guardrails passed when planned");
      if (r.needsApproval()) {
        verdicts.add(approval == null ? "approval required; no request found" : approval(approval));
      }
      return new ActionRow(
          r.idempotencyKey(),
          r.runId(),
          Views.customer(r.customerId(), reveal),
          r.campaign(),
          r.actionType(),
          r.channel(),
          r.variant() == null ? "" : r.variant(),
          money(r.cost()),
          time(r.plannedAt()),
          a.state().name(),
          a.attempts(),
          time(a.updatedAt()),
          List.copyOf(verdicts),
          outcome(a));
    }

    private static String approval(ApprovalRequest a) {
      return switch (a.status()) {
        case APPROVED -> "approved by " + a.decidedBy() + " at " + time(a.decidedAt());
        case REJECTED -> "rejected by " + a.decidedBy() + " at " + time(a.decidedAt());
        case PENDING -> "approval pending until " + time(a.deadline());
        default -> "approval " + a.status().name().toLowerCase(Locale.ROOT);
      };
    }

    private static String outcome(Actions.Action a) {
      return switch (a.state()) {
        case COMPLETED ->
            (a.duplicate() ? "already delivered, by " : "delivered by ")
                + a.receiptChannel()
                + (a.externalId() == null || a.externalId().isEmpty()
                    ? ""
                    : " as " + a.externalId())
                + " at "
                + time(a.deliveredAt());
        case FAILED -> "failed after " + a.attempts() + " attempt(s): " + nonEmpty(a.lastError());
        case CANCELLED -> "cancelled: " + nonEmpty(a.lastError());
        case EXECUTING -> "being delivered (attempt " + (a.attempts() + 1) + ")";
        case PENDING ->
            a.attempts() == 0
                ? "waiting to be delivered"
                : "to be retried; last error: " + nonEmpty(a.lastError());
      };
    }

    private static String nonEmpty(@Nullable String s) {
      return s == null || s.isEmpty() ? "no reason recorded" : s;
    }
  }

  /** The actions page: the search and what it found. */
  public record ActionSearch(
      Actions.Filter filter,
      List<ActionRow> rows,
      boolean more,
      int scanned,
      boolean scanCut,
      List<String> outcomes) {}

  /** The dashboard. */
  public record Dashboard(
      List<RunRow> runs,
      long pendingApprovals,
      @Nullable RunRow latest,
      int refreshSeconds,
      Activity.Recent activity,
      List<BudgetRow> budgets,
      String circuit) {}

  /** Money in use against one budget limit. */
  public record BudgetRow(String scope, BigDecimal inUse, BigDecimal limit, String currency) {
    /** Whether the money in use reached the limit. */
    public boolean exhausted() {
      return inUse.compareTo(limit) >= 0;
    }

    /** The money in use as a share of the limit, such as {@code 42%}. */
    public String share() {
      return limit.signum() == 0
          ? "100%"
          : inUse.multiply(BigDecimal.valueOf(100)).divide(limit, 0, RoundingMode.HALF_UP) + "%";
    }
  }

  /**
   * An approval key read back into its parts: {@code campaign:<campaign>} or {@code
   * action:<campaign>:<customer>:<actionType>} (the campaign up to the first {@code :}, the action
   * type after the last one). Other keys have the scope {@code custom}.
   */
  record Key(String scope, String campaign, String actionType, @Nullable String customerId) {
    static Key of(ApprovalKey key) {
      String v = key.value();
      if (v.startsWith("campaign:") && v.length() > "campaign:".length()) {
        return new Key("campaign", v.substring("campaign:".length()), "", null);
      }
      if (v.startsWith("action:")) {
        String rest = v.substring("action:".length());
        int first = rest.indexOf(':');
        int last = rest.lastIndexOf(':');
        if (first > 0 && last > first + 1 && last < rest.length() - 1) {
          return new Key(
              "action",
              rest.substring(0, first),
              rest.substring(last + 1),
              rest.substring(first + 1, last));
        }
      }
      return new Key("custom", "", "", null);
    }
  }
}
