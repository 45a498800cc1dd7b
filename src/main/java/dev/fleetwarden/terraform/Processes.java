package dev.fleetwarden.terraform;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stopping the external programs fleetwarden starts (terraform and its providers, moto). */
public final class Processes {
  private Processes() {}

  /**
   * Asks the process to stop (SIGTERM: terraform stops its provider plugins), waits up to 10
   * seconds, then kills it and whatever it started that is left.
   */
  public static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
