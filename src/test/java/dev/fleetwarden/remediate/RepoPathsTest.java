package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoPathsTest {
  @TempDir Path tmp;

  @Test
  void normalizesAndRefusesPathsOutsideTheRepo() {
    assertThat(RepoPaths.normalize("clusters/./a/../b/values.yaml"))
        .isEqualTo("clusters/b/values.yaml");
    for (String bad : List.of("../x", "a/../../x", "/etc/passwd", ".git/config", "", "C:\\x")) {
      assertThatThrownBy(() -> RepoPaths.normalize(bad))
          .as(bad)
          .isInstanceOf(RepoPaths.UnsafePathException.class);
    }
  }

  @Test
  void refusesALinkThatLeavesTheRepo() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(repo.resolve("link"), outside);
    assertThatThrownBy(() -> RepoPaths.resolve(repo, "link/file.yaml"))
        .isInstanceOf(RepoPaths.UnsafePathException.class);
    assertThat(RepoPaths.resolve(repo, "a/b.yaml"))
        .isEqualTo(repo.toAbsolutePath().resolve("a/b.yaml"));
  }

  @Test
  void aChangeSetCannotNameAFileOutsideTheRepo() {
    Map<String, String> files = new TreeMap<>(Map.of("../../etc/cron.d/x", "boom"));
    assertThatThrownBy(
            () ->
                new ChangeSet(
                    ChangeSet.Strategy.PATCH_FILE,
                    new TreeMap<>(files),
                    List.of(),
                    "",
                    List.of(),
                    true))
        .isInstanceOf(RepoPaths.UnsafePathException.class);
  }

  @Test
  void anImageTagIsAdoptedAsTheTokenAtTheSamePlace() {
    assertThat(
            RemediationPlanner.adoptedLeaf(
                TextNode.valueOf("1.11.2"),
                TextNode.valueOf("registry/x:1.11.2"),
                TextNode.valueOf("registry/x:1.12.0")))
        .isEqualTo(TextNode.valueOf("1.12.0"));
    assertThat(
            RemediationPlanner.adoptedLeaf(
                TextNode.valueOf("1.11.2"),
                TextNode.valueOf("registry/x:1.11.2"),
                TextNode.valueOf("other/y:1.12.0")))
        .isNull();
    assertThat(
            RemediationPlanner.adoptedLeaf(
                IntNode.valueOf(4), IntNode.valueOf(4), IntNode.valueOf(6)))
        .isEqualTo(IntNode.valueOf(6));
  }
}
