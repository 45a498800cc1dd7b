package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AppliedWithinDesiredTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String DESIRED =
      """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
       "spec":{"replicas":2,"template":{"spec":{"containers":[
         {"name":"web","image":"web:1.2","ports":[{"containerPort":8080}]},
         {"name":"sidecar","image":"proxy:3","resources":{"limits":{"cpu":"0.5"}}}]}}}}
      """;

  private static boolean holds(String applied) throws Exception {
    JsonNode desired = JSON.readTree(DESIRED);
    return AppliedWithinDesired.holds(applied, desired);
  }

  @Test
  void whatGitSetsItselfIsWithin() throws Exception {
    assertThat(holds(DESIRED)).isTrue();
    assertThat(holds("{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"}}")).isTrue();
  }

  @Test
  void aNullIsUnsetAndAShorterListIsWithin() throws Exception {
    assertThat(
            holds(
                "{\"metadata\":{\"name\":\"web\",\"creationTimestamp\":null},"
                    + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\"}]}}}}"))
        .isTrue();
  }

  @Test
  void aFieldGitLacksIsNotWithin() throws Exception {
    assertThat(holds("{\"spec\":{\"paused\":true}}")).isFalse();
    assertThat(holds("{\"metadata\":{\"labels\":{\"app\":\"web\",\"debug\":\"on\"}}}")).isFalse();
  }

  @Test
  void aDifferentValueOrTypeIsNotWithin() throws Exception {
    assertThat(holds("{\"spec\":{\"replicas\":3}}")).isFalse();
    assertThat(holds("{\"spec\":{\"replicas\":\"2\"}}")).isFalse();
    assertThat(holds("{\"spec\":{\"replicas\":2.5}}")).isFalse();
  }

  @Test
  void anAddedOrReorderedListItemIsNotWithin() throws Exception {
    String reordered =
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":["
            + "{\"name\":\"sidecar\"},{\"name\":\"web\"}]}}}}";
    String added =
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":["
            + "{\"name\":\"web\"},{\"name\":\"sidecar\"},{\"name\":\"debug\"}]}}}}";
    assertThat(holds(reordered)).isFalse();
    assertThat(holds(added)).isFalse();
  }

  @Test
  void whatIsNotAnObjectOrNotJsonIsNotWithin() throws Exception {
    assertThat(holds("[]")).isFalse();
    assertThat(holds("{\"spec\":")).isFalse();
    assertThat(holds("{} {}")).isFalse();
  }
}
