package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChartAllowListTest {
  @Test
  void aPrefixAllowsItselfAndWhatIsBelowItOnly() {
    ChartAllowList list =
        ChartAllowList.parse(" https://charts.example.org/team , oci://ghcr.io/org/");
    assertThat(list.allows("https://charts.example.org/team")).isTrue();
    assertThat(list.allows("https://charts.example.org/team/")).isTrue();
    assertThat(list.allows("https://charts.example.org/team/app-1.0.0.tgz")).isTrue();
    assertThat(list.allows("https://CHARTS.example.org:443/team/index.yaml")).isTrue();
    assertThat(list.allows("https://charts.example.org/team-b")).isFalse();
    assertThat(list.allows("https://charts.example.org/other")).isFalse();
    assertThat(list.allows("http://charts.example.org/team")).as("scheme").isFalse();
    assertThat(list.allows("https://charts.example.org:8443/team")).as("port").isFalse();
    assertThat(list.allows("https://charts.example.org.evil.net/team")).isFalse();
    assertThat(list.allows("oci://ghcr.io/org/chart")).isTrue();
    assertThat(list.allows("oci://ghcr.io/organisation/chart")).isFalse();
  }

  @Test
  void userInformationDotSegmentsAndOtherSchemesAreNeverAllowed() {
    ChartAllowList list = ChartAllowList.parse("https://charts.example.org/team");
    assertThat(list.allows("https://user:pw@charts.example.org/team/x.tgz")).isFalse();
    assertThat(list.allows("https://charts.example.org/team/../other/x.tgz")).isFalse();
    assertThat(list.allows("https://charts.example.org/team/%2e%2e/other/x.tgz")).isFalse();
    assertThat(list.allows("file:///etc/passwd")).isFalse();
    assertThat(list.allows("ftp://charts.example.org/team")).isFalse();
    assertThat(list.allows("not a url")).isFalse();
    assertThat(ChartAllowList.NONE.allows("https://charts.example.org/team")).isFalse();
  }

  @Test
  void aMalformedEntryIsAnError() {
    assertThatThrownBy(() -> ChartAllowList.parse("https://ok.example.org,charts.example.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'charts.example.org'");
    assertThatThrownBy(() -> ChartAllowList.parse("https://u:p@charts.example.org"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ChartAllowList.parse("").isEmpty()).isTrue();
  }

  @Test
  void exactVersionsOnly() {
    assertThat(ChartVersion.isExact("1.2.3")).isTrue();
    assertThat(ChartVersion.isExact("v1.14.5")).isTrue();
    assertThat(ChartVersion.isExact("2.0.0-rc.1+build.5")).isTrue();
    for (String range : new String[] {"^1.2.3", "~1.2.3", ">=1.2.3", "1.2.x", "1.*", "*", "1.2"}) {
      assertThat(ChartVersion.isExact(range)).as(range).isFalse();
      assertThat(ChartVersion.problem(range)).as(range).isNotNull();
    }
    assertThat(ChartVersion.problem("^1.2.3")).contains("is a range");
    assertThat(ChartVersion.problem("1.2")).contains("not an exact chart version");
  }
}
