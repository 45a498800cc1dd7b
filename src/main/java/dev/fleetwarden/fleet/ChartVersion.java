package dev.fleetwarden.fleet;

import java.util.regex.Pattern;

/**
 * Chart versions the fleet may name: one exact SemVer 2 version ({@code 1.2.3}, {@code v1.14.5},
 * {@code 2.0.0-rc.1}), never a range, so that every render of a commit is the same. Pure.
 */
public final class ChartVersion {
  private static final Pattern EXACT =
      Pattern.compile(
          "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
  private static final Pattern RANGE =
      Pattern.compile("[\\^~<>=*|,\\s]|(^|\\.)[xX*](\\.|$)|\\s-\\s");

  private ChartVersion() {}

  /** Whether {@code version} is one exact version. */
  public static boolean isExact(String version) {
    return version != null && version.length() <= 128 && EXACT.matcher(version).matches();
  }

  /** Why a version is not exact, as a sentence that says what to write; null when it is. */
  public static String problem(String version) {
    if (isExact(version)) {
      return null;
    }
    String shown = version.length() > 64 ? version.substring(0, 64) + "…" : version;
    if (RANGE.matcher(version).find()) {
      return "version '"
          + shown
          + "' is a range; name one exact version (X.Y.Z) so every render of a commit is the"
          + " same, and change it by commit";
    }
    return "version '"
        + shown
        + "' is not an exact chart version; write all three numbers (X.Y.Z, optionally with a"
        + " -prerelease), as the chart repository lists it";
  }
}
