package dev.opagent.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleAuthenticatorTest {
  private static final String TOKEN = "0123456789abcdef-token";

  @Test
  void token_acceptsTheTokenUnderAValidName() {
    ConsoleAuthenticator a = ConsoleAuthenticator.token(TOKEN);

    assertThat(a.authenticate("alice", TOKEN)).hasValue("alice");
    assertThat(a.authenticate("alice", TOKEN + " ")).isEmpty();
    assertThat(a.authenticate("alice", "")).isEmpty();
    assertThat(a.authenticate("<b>", TOKEN)).isEmpty();
  }

  @Test
  void token_tooShort_isRefused() {
    assertThatThrownBy(() -> ConsoleAuthenticator.token("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("short");
  }

  @Test
  void users_eachOperatorHasTheirOwnSecret() {
    ConsoleAuthenticator a =
        ConsoleAuthenticator.users(Map.of("alice", TOKEN, "bob", TOKEN + "-bob"));

    assertThat(a.authenticate("alice", TOKEN)).hasValue("alice");
    assertThat(a.authenticate("bob", TOKEN)).isEmpty();
    assertThat(a.authenticate("bob", TOKEN + "-bob")).hasValue("bob");
    assertThat(a.authenticate("mallory", TOKEN)).isEmpty();
  }
}
