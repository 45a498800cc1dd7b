package dev.fleetwarden.git;

import java.time.Instant;

/** Who made a commit, when, and why: what a drift alert or a blast-radius preview shows. */
public record CommitInfo(
    String id, String authorName, String authorEmail, Instant time, String message) {

  /** The first line of the message. */
  public String shortMessage() {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The first 12 characters of the id. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
