package dev.opagent.spring.boot;

import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;

/**
 * A host's channel bean as the channel registry holds it: the registry closes what it holds, and
 * the application context closes the bean itself, once.
 */
final class NonClosingChannel implements ActionChannel {
  private final ActionChannel bean;

  NonClosingChannel(ActionChannel bean) {
    this.bean = bean;
  }

  @Override
  public String name() {
    return bean.name();
  }

  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    return bean.deliver(request);
  }

  @Override
  public boolean deduplicatesByKey() {
    return bean.deduplicatesByKey();
  }

  @Override
  public void close() {
    // the application context closes the bean
  }

  @Override
  public String toString() {
    return bean.toString();
  }
}
