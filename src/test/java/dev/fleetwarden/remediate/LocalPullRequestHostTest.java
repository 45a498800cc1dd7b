package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.remediate.PullRequestHost.NewPullRequest;
import dev.fleetwarden.remediate.PullRequestHost.PullRequest;
import dev.fleetwarden.remediate.PullRequestHost.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local pull requests outlive the process that opened them, as GitHub's do. */
class LocalPullRequestHostTest {
  @TempDir Path dir;

  private static NewPullRequest request(String branch) {
    return new NewPullRequest(branch, "main", "Adopt live value", "body", List.of("drift"));
  }

  @Test
  void aRestartedHostFindsItsPullRequestsAndKeepsNumbering() throws Exception {
    LocalPullRequestHost first = new LocalPullRequestHost(dir);
    PullRequest a = first.create(request("fleetwarden/drift/c/aaa"));
    PullRequest b = first.create(request("fleetwarden/drift/c/bbb"));
    first.close(a.number(), "drift resolved");

    LocalPullRequestHost restarted = new LocalPullRequestHost(dir);
    assertThat(restarted.get(a.number()).status()).isEqualTo(Status.CLOSED);
    assertThat(restarted.get(b.number())).isEqualTo(b);
    assertThat(restarted.findOpen("fleetwarden/drift/c/bbb")).contains(b);
    assertThat(restarted.findOpen("fleetwarden/drift/c/aaa")).isEmpty();
    PullRequest c = restarted.create(request("fleetwarden/drift/c/ccc"));
    assertThat(c.number()).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("pr-1.md"))).contains("closed: drift resolved");
  }

  @Test
  void anUnknownNumberIsAHostErrorNotANullPullRequest() {
    LocalPullRequestHost host = new LocalPullRequestHost(dir);
    assertThatThrownBy(() -> host.get(7))
        .isInstanceOf(PullRequestHost.HostException.class)
        .hasMessageContaining("no pull request #7");
  }
}
