package dev.fleetwarden.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void urlUserInfoIsMasked() {
    assertThat(Redaction.url("https://bot:ghp_abc@github.com/org/fleet.git"))
        .isEqualTo("https://***@github.com/org/fleet.git");
    assertThat(Redaction.url("https://github.com/org/fleet.git"))
        .isEqualTo("https://github.com/org/fleet.git");
    assertThat(Redaction.url("ssh://git@github.com/org/fleet.git"))
        .isEqualTo("ssh://***@github.com/org/fleet.git");
    assertThat(Redaction.url("/srv/git/fleet.git")).isEqualTo("/srv/git/fleet.git");
  }

  @Test
  void secretsAreRemovedFromEveryMessageOfAChain() {
    Redaction r = Redaction.of("tok-123", null, "");
    Throwable chain =
        r.chain(
            new IOException(
                "auth failed for tok-123", new IllegalStateException("https://u:p@h/x tok-123")));
    assertThat(chain.getMessage()).isEqualTo("java.io.IOException: auth failed for ***");
    assertThat(chain.getCause().getMessage())
        .isEqualTo("java.lang.IllegalStateException: https://***@h/x ***");
    assertThat(chain.getStackTrace()).isNotEmpty();
  }

  @Test
  void safePathNormalizesAndRefuses() {
    assertThat(JGitFleetRepository.safePath("clusters/./dev-1//cluster.yaml"))
        .isEqualTo("clusters/dev-1/cluster.yaml");
    for (String bad :
        new String[] {"../x", "/abs", "C:/x", "a/.git/hooks/pre-commit", "a\\b", "", "./"}) {
      assertThatThrownBy(() -> JGitFleetRepository.safePath(bad))
          .as(bad)
          .isInstanceOf(UnsafePathException.class);
    }
  }
}
