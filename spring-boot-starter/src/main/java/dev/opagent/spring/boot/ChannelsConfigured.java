package dev.opagent.spring.boot;

import dev.opagent.agent.execution.spi.ActionChannel;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when there is somewhere to deliver to: {@code opagent.execution.channels} names a channel
 * or the host defines an {@link ActionChannel} bean. Without one, actions are decided but neither
 * journalled nor delivered, so the execution service and the loop are not configured.
 */
class ChannelsConfigured extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    List<String> specs =
        Binder.get(context.getEnvironment())
            .bind("opagent.execution.channels", Bindable.listOf(String.class))
            .orElse(List.of());
    if (specs.stream().anyMatch(s -> !s.isBlank())) {
      return ConditionOutcome.match("opagent.execution.channels is set");
    }
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    if (beans != null && beans.getBeanNamesForType(ActionChannel.class, true, false).length > 0) {
      return ConditionOutcome.match("found an ActionChannel bean");
    }
    return ConditionOutcome.noMatch(
        "no opagent.execution.channels and no ActionChannel bean: nowhere to deliver actions");
  }
}
