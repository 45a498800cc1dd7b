package dev.fleetwarden.render;

import dev.fleetwarden.model.RenderError;

/**
 * An add-on or a cluster could not be rendered: the add-on (null for cluster-level problems such as
 * a patch), the repo-relative file and 1-based line (0 when unknown), and a message that says what
 * to do.
 */
public final class RenderException extends Exception {
  private final String addon;
  private final String file;
  private final int line;

  public RenderException(String addon, String file, int line, String message) {
    super(message);
    this.addon = addon;
    this.file = file;
    this.line = line;
  }

  public RenderException(String addon, String file, int line, String message, Throwable cause) {
    super(message, cause);
    this.addon = addon;
    this.file = file;
    this.line = line;
  }

  public String addon() {
    return addon;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The same problem attributed to an add-on, keeping file and line. */
  RenderException forAddon(String addonName) {
    return addon != null ? this : new RenderException(addonName, file, line, getMessage(), this);
  }

  public RenderError toError(String cluster) {
    return new RenderError(cluster, addon, file, line, getMessage());
  }
}
