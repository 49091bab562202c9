package dev.opagent.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.console.ConsoleAuthenticator;
import dev.opagent.testkit.AgentSimulator;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** The console registered as a servlet of the application, from opagent.console.* properties. */
class ConsoleAutoConfigurationTest {
  private static final String TOKEN = "s3cret-console-token-for-tests";
  private static AgentSimulator agent;

  @BeforeAll
  static void start() {
    agent = AgentSimulator.start();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  private static WebApplicationContextRunner web() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                OpagentStoreAutoConfiguration.class,
                OpagentAutoConfiguration.class,
                OpagentConsoleAutoConfiguration.class))
        .withPropertyValues(
            "opagent.store.url=jdbc:h2:mem:console-boot-"
                + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1",
            "opagent.store.username=sa",
            "opagent.agent.runtime-arn=" + agent.agentRuntimeArn(),
            "opagent.agent.endpoint=" + agent.endpoint());
  }

  @Test
  void enabledWithAToken_registersTheConsoleUnderItsPath() {
    web()
        .withPropertyValues("opagent.console.enabled=true", "opagent.console.token=" + TOKEN)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ServletRegistrationBean<?> console =
                  context.getBean("opagentConsole", ServletRegistrationBean.class);
              assertThat(console.getUrlMappings()).containsExactly("/ops/*");
              assertThat(console.getServletName()).isEqualTo("opagentConsole");
            });
  }

  @Test
  void anotherPathAndOperators_orTheHostsAuthenticator() {
    web()
        .withPropertyValues(
            "opagent.console.enabled=true",
            "opagent.console.path=/admin/marketing",
            "opagent.console.users.maria=" + TOKEN)
        .run(
            context ->
                assertThat(
                        context
                            .getBean("opagentConsole", ServletRegistrationBean.class)
                            .getUrlMappings())
                    .containsExactly("/admin/marketing/*"));
    web()
        .withPropertyValues("opagent.console.enabled=true")
        .withBean(ConsoleAuthenticator.class, () -> (user, secret) -> Optional.of(user))
        .run(context -> assertThat(context).hasBean("opagentConsole"));
  }

  @Test
  void enabledWithoutCredentials_failsNamingTheProperties() {
    web()
        .withPropertyValues("opagent.console.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("opagent.console.users.NAME=SECRET")
                    .hasMessageContaining("opagent.console.token"));
  }

  @Test
  void aShortTokenOrABadPath_failWithoutRepeatingTheToken() {
    web()
        .withPropertyValues("opagent.console.enabled=true", "opagent.console.token=short-tok")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("16")
                    .message()
                    .doesNotContain("short-tok"));
    web()
        .withPropertyValues(
            "opagent.console.enabled=true",
            "opagent.console.token=" + TOKEN,
            "opagent.console.path=ops/")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("opagent.console.path must be a path such as /ops"));
  }

  @Test
  void enabledWithoutTheStore_failsSayingWhatItNeeds() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                OpagentAutoConfiguration.class, OpagentConsoleAutoConfiguration.class))
        .withPropertyValues(
            "opagent.console.enabled=true",
            "opagent.console.token=" + TOKEN,
            "opagent.agent.runtime-arn=" + agent.agentRuntimeArn(),
            "opagent.agent.endpoint=" + agent.endpoint())
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("needs the operating store"));
  }

  @Test
  void notEnabled_orNotAServletApplication_registersNothing() {
    web().run(context -> assertThat(context).doesNotHaveBean("opagentConsole"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(OpagentConsoleAutoConfiguration.class))
        .withPropertyValues("opagent.console.enabled=true", "opagent.console.token=" + TOKEN)
        .run(context -> assertThat(context).doesNotHaveBean("opagentConsole"));
  }
}
