package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsiiConsoleTest {
  @Test
  void theEndOfLifeBannerIsDroppedAndOtherLinesPass() {
    String[] lines = {
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "",
      "!!  Node 20 is end-of-life and not supported anymore by this software since 2026-10-30.  !!",
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "19:39:27.157 WARN  d.f.t.CliTerraformRunner dev-1  - a real warning",
      "",
      "an error from the stack code: !! inside is fine"
    };
    StringBuilder kept = new StringBuilder();
    boolean inBanner = false;
    for (String line : lines) {
      inBanner = JsiiConsole.isBanner(line, inBanner);
      if (!inBanner) {
        kept.append(line).append('\n');
      }
    }
    assertThat(kept.toString())
        .isEqualTo(
            "19:39:27.157 WARN  d.f.t.CliTerraformRunner dev-1  - a real warning\n"
                + "\n"
                + "an error from the stack code: !! inside is fine\n");
  }
}
