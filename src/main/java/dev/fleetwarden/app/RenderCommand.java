package dev.fleetwarden.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.render.RenderWriter;
import dev.fleetwarden.report.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code render}: the desired state of each cluster, to stdout or a directory tree. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Render the desired Kubernetes objects of every cluster (or the given ones).",
      "Without --out the objects go to stdout; with --out DIR each cluster's objects go to"
          + " DIR/<cluster>/, one object per file. Progress goes to stderr.",
      "Exit 0 when every cluster rendered, 1 when the fleet is invalid or a cluster failed."
    })
public final class RenderCommand implements Callable<Integer> {
  enum Format {
    yaml,
    json
  }

  @Mixin FleetOptions fleetOptions;

  @Option(names = "--out", paramLabel = "DIR", description = "Write DIR/<cluster>/*.yaml.")
  Path out;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "yaml (default) or json, for stdout.")
  Format format = Format.yaml;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = System.getenv();
    try (Wiring wiring = new Wiring(Config.defaults(env), env, Clock.systemUTC())) {
      return render(wiring, stdout, err);
    }
  }

  private int render(Wiring wiring, PrintWriter stdout, PrintWriter err) throws IOException {
    Fleet fleet = fleetOptions.load(err, wiring.chartAllowList());
    if (fleet == null) {
      return 1;
    }
    List<String> clusters = fleetOptions.selected(fleet);
    Progress progress = new Progress(err, fleetOptions.quiet, clusters.size());
    progress.say("rendering %s of %s", Plural.of(clusters.size(), "cluster"), fleet.root());
    long start = System.nanoTime();
    SortedMap<String, ClusterRender> renders =
        wiring.rendering().render(fleet, clusters, progress).all();
    long failed = renders.values().stream().filter(ClusterRender::failed).count();
    progress.say(
        "rendered %s in %d ms%s",
        Plural.of(renders.size(), "cluster"),
        (System.nanoTime() - start) / 1_000_000,
        failed == 0 ? "" : ", " + failed + " failed");
    if (out != null) {
      RenderWriter.writeTree(out, renders);
      progress.say("wrote %s/<cluster>/", out);
    } else if (format == Format.json) {
      stdout.print(json(renders));
    } else {
      for (ClusterRender r : renders.values()) {
        if (!r.failed()) {
          stdout.println("# cluster: " + r.cluster());
          stdout.print(RenderWriter.toYaml(r.objects()));
        }
      }
    }
    stdout.flush();
    for (ClusterRender r : renders.values()) {
      if (r.failed()) {
        err.println("error: cluster " + r.cluster() + ": " + TerminalText.of(r.error()));
      }
    }
    err.flush();
    return failed == 0 ? 0 : 1;
  }

  private static String json(SortedMap<String, ClusterRender> renders) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    for (ClusterRender r : renders.values()) {
      if (!r.failed()) {
        ArrayNode items = root.putArray(r.cluster());
        for (DesiredObject o : r.objects()) {
          items.add(o.manifest());
        }
      }
    }
    return mapper.writeValueAsString(root) + "\n";
  }
}
