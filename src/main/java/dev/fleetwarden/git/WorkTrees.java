package dev.fleetwarden.git;

import java.io.IOException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;

/** Settings every work tree of a fleet repo gets, whoever checks it out. */
public final class WorkTrees {
  private WorkTrees() {}

  /**
   * Defence in depth: should a link ever reach the work tree, JGit writes it as a plain file
   * holding the link's target text, never as a link. Call before the first checkout.
   */
  public static void neverCheckOutSymlinks(Repository repository) throws IOException {
    StoredConfig config = repository.getConfig();
    if (config.getBoolean(
        ConfigConstants.CONFIG_CORE_SECTION, ConfigConstants.CONFIG_KEY_SYMLINKS, true)) {
      config.setBoolean(
          ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_SYMLINKS, false);
      config.save();
    }
  }
}
