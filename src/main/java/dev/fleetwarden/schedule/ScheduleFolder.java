package dev.fleetwarden.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code schedules/} folder, followed: when a file is added, removed or changed, the folder is
 * parsed again and the scheduler reloaded; rejected files keep the current schedules.
 */
public final class ScheduleFolder {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleFolder.class);

  private final Path dir;
  private final FleetScheduler scheduler;
  private String lastSeen = "";

  public ScheduleFolder(Path dir, FleetScheduler scheduler) {
    this.dir = dir;
    this.scheduler = scheduler;
  }

  /** Loads the folder now; a bad file is an error with its file and line. */
  public synchronized void load() throws Exception {
    String seen = contentStamp();
    scheduler.reload(ScheduleParser.parseDirectory(dir));
    lastSeen = seen;
  }

  /** Reloads when the folder changed since the last load; never throws. */
  public synchronized void reloadIfChanged() {
    try {
      String seen = contentStamp();
      if (seen.equals(lastSeen)) {
        return;
      }
      List<ScheduleSpec> specs = ScheduleParser.parseDirectory(dir);
      scheduler.reload(specs);
      lastSeen = seen;
      LOG.info("schedules reloaded: {} schedule(s)", specs.size());
    } catch (ScheduleValidationException e) {
      LOG.error("schedule files rejected, keeping the current schedules: {}", e.getMessage());
    } catch (Exception e) {
      LOG.warn("reloading schedules failed: {}", e.toString());
    }
  }

  private String contentStamp() throws IOException {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        sb.append(p).append(Files.getLastModifiedTime(p)).append(Files.size(p));
      }
    }
    return sb.toString();
  }
}
