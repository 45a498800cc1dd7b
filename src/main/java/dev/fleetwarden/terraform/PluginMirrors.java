package dev.fleetwarden.terraform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a provider mirror directory (the directory holding {@code
 * registry.terraform.io/hashicorp/aws}) for machines without registry access, in this order:
 *
 * <ol>
 *   <li>{@code FLEETWARDEN_TERRAFORM_PLUGIN_MIRROR};
 *   <li>the implied local mirror directories Terraform itself searches: {@code
 *       ~/.terraform.d/plugins}, {@code $XDG_DATA_HOME/terraform/plugins} (default {@code
 *       ~/.local/share}), and {@code terraform/plugins} under each of {@code $XDG_DATA_DIRS}
 *       (default {@code /usr/local/share:/usr/share});
 *   <li>a {@code filesystem_mirror} declared in the CLI configuration ({@code TF_CLI_CONFIG_FILE}
 *       or {@code ~/.terraformrc});
 *   <li>a directory at most two levels below a file system root (e.g. {@code /opt/<mirror>}, where
 *       images often unpack one).
 * </ol>
 */
public final class PluginMirrors {
  private static final Path AWS = Path.of("registry.terraform.io", "hashicorp", "aws");
  private static final Pattern MIRROR_PATH =
      Pattern.compile("filesystem_mirror\\s*\\{[^}]*?path\\s*=\\s*\"([^\"]+)\"", Pattern.DOTALL);
  private static final Set<String> PSEUDO_FILE_SYSTEMS = Set.of("proc", "sys", "dev", "run");

  private PluginMirrors() {}

  /** The first mirror holding the AWS provider, or empty. */
  public static Optional<Path> discover(Map<String, String> env) {
    for (Path candidate : candidates(env)) {
      if (holdsAws(candidate)) {
        return Optional.of(candidate);
      }
    }
    return scanNearRoots();
  }

  /** The configured and standard locations, in search order (the root scan not included). */
  public static List<Path> candidates(Map<String, String> env) {
    List<Path> out = new ArrayList<>();
    String configured = env.get(TerraformSettings.ENV_PLUGIN_MIRROR);
    if (configured != null && !configured.isBlank()) {
      out.add(Path.of(configured));
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    if (home != null) {
      out.add(Path.of(home, ".terraform.d", "plugins"));
    }
    String dataHome = env.get("XDG_DATA_HOME");
    if (dataHome != null && !dataHome.isBlank()) {
      out.add(Path.of(dataHome, "terraform", "plugins"));
    } else if (home != null) {
      out.add(Path.of(home, ".local", "share", "terraform", "plugins"));
    }
    String dataDirs = env.get("XDG_DATA_DIRS");
    if (dataDirs == null || dataDirs.isBlank()) {
      dataDirs = "/usr/local/share:/usr/share";
    }
    for (String dir : dataDirs.split(":")) {
      if (!dir.isBlank()) {
        out.add(Path.of(dir, "terraform", "plugins"));
      }
    }
    String cliConfig = env.get("TF_CLI_CONFIG_FILE");
    Path rc =
        cliConfig != null && !cliConfig.isBlank()
            ? Path.of(cliConfig)
            : home == null ? null : Path.of(home, ".terraformrc");
    if (rc != null && Files.isRegularFile(rc)) {
      try {
        Matcher m = MIRROR_PATH.matcher(Files.readString(rc));
        while (m.find()) {
          out.add(Path.of(m.group(1)));
        }
      } catch (IOException e) {
        // An unreadable CLI configuration only means one candidate less.
      }
    }
    return out;
  }

  static boolean holdsAws(Path mirror) {
    Path aws = mirror.resolve(AWS);
    if (!Files.isDirectory(aws)) {
      return false;
    }
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(aws)) {
      return versions.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<Path> scanNearRoots() {
    for (Path root : FileSystems.getDefault().getRootDirectories()) {
      Optional<Path> found = scan(root, 2);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> scan(Path dir, int depth) {
    if (depth == 0) {
      return Optional.empty();
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path child : stream) {
        String name = child.getFileName() == null ? "" : child.getFileName().toString();
        if (dir.getParent() == null && PSEUDO_FILE_SYSTEMS.contains(name)) {
          continue;
        }
        if (holdsAws(child)) {
          return Optional.of(child);
        }
        children.add(child);
      }
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
    children.sort(null);
    for (Path child : children) {
      Optional<Path> found = scan(child, depth - 1);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }
}
