package dev.opagent.spring.boot;

import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.console.ConsoleAuthenticator;
import dev.opagent.console.ConsoleHandler;
import dev.opagent.console.ConsoleServlet;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.store.OperatingStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The operations console in the application's servlet container, with {@code
 * opagent.console.enabled=true}: a {@link ConsoleServlet} under {@code opagent.console.path}
 * (default {@code /ops}) on the operating store, showing the campaigns of the rules file when the
 * rules come from a file, the money in use against the decision policy's budgets and the agent
 * client's circuit. Operators sign in with {@code opagent.console.users.NAME} secrets, the shared
 * {@code opagent.console.token}, or the host's own {@link ConsoleAuthenticator} bean.
 */
@AutoConfiguration(after = {OpagentStoreAutoConfiguration.class, OpagentAutoConfiguration.class})
@ConditionalOnClass(name = {"dev.opagent.console.ConsoleServlet", "jakarta.servlet.Servlet"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "opagent.console", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(OpagentProperties.class)
public class OpagentConsoleAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "opagentConsole")
  ServletRegistrationBean<ConsoleServlet> opagentConsole(
      OpagentProperties properties,
      ObjectProvider<OperatingStore> store,
      ObjectProvider<ConsoleAuthenticator> authenticator,
      ObjectProvider<RuleSetHolder> rules,
      ObjectProvider<DecisionPolicy> policy,
      ObjectProvider<SegmentCircuitState> circuit,
      ObjectProvider<Clock> clock) {
    OpagentProperties.Console c = properties.getConsole();
    OperatingStore opened = store.getIfAvailable();
    if (opened == null) {
      throw new IllegalStateException(
          "opagent.console.enabled needs the operating store: set opagent.store.url (or"
              + " opagent.store.use-data-source=true), or define an OperatingStore bean");
    }
    ConsoleHandler.Builder b =
        ConsoleHandler.builder()
            .store(opened)
            .authenticator(authenticator.getIfAvailable(() -> authenticator(c)))
            .clock(clock.getIfAvailable(Clock::systemUTC))
            .secureCookies(c.isSecureCookies());
    RuleSetHolder holder = rules.getIfAvailable();
    if (holder != null && holder.source() instanceof RuleSource.File) {
      b.rules(holder, RuleSetLoader.ofDefaults());
    }
    DecisionPolicy decisions = policy.getIfAvailable();
    if (decisions != null) {
      b.budgets(decisions.budgets());
    }
    SegmentCircuitState state = circuit.getIfAvailable();
    if (state != null && state.isWatching()) {
      b.agentCircuit(state::isOpen);
    }
    String path = OpagentAutoConfiguration.text(c.getPath());
    if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("*")) {
      throw new IllegalStateException(
          "opagent.console.path must be a path such as /ops (a leading slash, no trailing slash,"
              + " no wildcard) but was '"
              + c.getPath()
              + "'");
    }
    ServletRegistrationBean<ConsoleServlet> registration =
        new ServletRegistrationBean<>(new ConsoleServlet(b.build()), path + "/*");
    registration.setName("opagentConsole");
    return registration;
  }

  private static ConsoleAuthenticator authenticator(OpagentProperties.Console c) {
    try {
      if (!c.getUsers().isEmpty()) {
        return ConsoleAuthenticator.users(c.getUsers());
      }
      String token = OpagentAutoConfiguration.text(c.getToken());
      if (token != null) {
        return ConsoleAuthenticator.token(token);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("opagent.console is invalid: " + e.getMessage(), e);
    }
    throw new IllegalStateException(
        "opagent.console.enabled needs credentials: set opagent.console.users.NAME=SECRET or"
            + " opagent.console.token (at least 16 characters each), or define a"
            + " ConsoleAuthenticator bean");
  }
}
