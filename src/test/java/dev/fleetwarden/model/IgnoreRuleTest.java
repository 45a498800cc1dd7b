package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRuleTest {
  private static final ResourceId DEPLOYMENT = ResourceId.parse("c/Deployment.apps/n/web");
  private static final ResourceId OTHER_DEPLOYMENT =
      ResourceId.parse("c/Deployment.example.com/n/web");
  private static final ResourceId CONFIG_MAP = ResourceId.parse("c/ConfigMap/n/web");

  private static IgnoreRule rule(String group, String kind) {
    return new IgnoreRule(group, kind, null, null, List.of("/spec/replicas"), null);
  }

  @Test
  void aRuleWithoutGroupMatchesItsKindInEveryGroup() {
    // rules written before ids carried the group keep matching
    assertThat(rule(null, "Deployment").matches(DEPLOYMENT)).isTrue();
    assertThat(rule(null, "Deployment").matches(OTHER_DEPLOYMENT)).isTrue();
    assertThat(rule(null, "Deployment").matches(CONFIG_MAP)).isFalse();
  }

  @Test
  void aGivenGroupMatchesExactlyAsInArgoCd() {
    assertThat(rule("apps", "Deployment").matches(DEPLOYMENT)).isTrue();
    assertThat(rule("apps", "Deployment").matches(OTHER_DEPLOYMENT)).isFalse();
    assertThat(rule("", "ConfigMap").matches(CONFIG_MAP)).isTrue();
    assertThat(rule("", "Deployment").matches(DEPLOYMENT)).as("\"\" is the core group").isFalse();
    assertThat(rule("*", "Deployment").matches(OTHER_DEPLOYMENT)).isTrue();
    assertThat(rule("apps", null).matches(DEPLOYMENT)).isTrue();
    assertThat(rule("apps", "*").matches(CONFIG_MAP)).isFalse();
  }
}
