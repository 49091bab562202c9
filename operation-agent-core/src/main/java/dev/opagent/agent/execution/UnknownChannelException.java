package dev.opagent.agent.execution;

import dev.opagent.agent.AgentException;
import java.util.List;

/**
 * A {@link ChannelRegistry} has no channel for an action: no action-type route, no route of its
 * decision channel, no channel registered under the decision channel's id and no default. The
 * message lists what was tried and the registered channels; it names only the action type and the
 * channel id, never the customer or the action's parameters. Unchecked; immutable, so safe to share
 * between threads.
 */
public final class UnknownChannelException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final String actionType;
  private final String decisionChannel;
  private final List<String> registeredChannels;

  /**
   * An action of {@code actionType} on decision channel {@code decisionChannel} has no channel.
   *
   * @param actionType the action type, such as {@code send_sms}
   * @param decisionChannel the decision's channel id, such as {@code sms}
   * @param registeredChannels the names of the registered channels, in the order to report
   */
  public UnknownChannelException(
      String actionType, String decisionChannel, List<String> registeredChannels) {
    super(
        "no channel for action type '"
            + actionType
            + "' (decision channel '"
            + decisionChannel
            + "'); tried: action-type route none, channel route none, "
            + "channel named '"
            + decisionChannel
            + "' none, default none; registered channels: "
            + registeredChannels);
    this.actionType = actionType;
    this.decisionChannel = decisionChannel;
    this.registeredChannels = List.copyOf(registeredChannels);
  }

  /** The action type that found no channel. */
  public String actionType() {
    return actionType;
  }

  /** The decision channel id of the action, such as {@code sms}. */
  public String decisionChannel() {
    return decisionChannel;
  }

  /** The names of the channels the registry had. */
  public List<String> registeredChannels() {
    return registeredChannels;
  }
}
