package dev.fleetwarden.terraform;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The jsii runtime behind CDK for Terraform copies its Node process's stderr to {@code System.err}
 * as it comes, including an 11-line banner when the Node version is past its end of life (unless
 * {@code JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION} is in this JVM's own environment, which a
 * running JVM cannot change). This filter, installed once before the first synthesis, drops the
 * banner's lines (they start with {@code !!}) and the blank lines between them; every other line
 * passes unchanged.
 */
final class JsiiConsole extends OutputStream {
  private static boolean installed;

  private final PrintStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean inBanner;

  private JsiiConsole(PrintStream target) {
    this.target = target;
  }

  /** Filters {@code System.err} from now on (idempotent). */
  static synchronized void install() {
    if (!installed) {
      System.setErr(new PrintStream(new JsiiConsole(System.err), true, StandardCharsets.UTF_8));
      installed = true;
    }
  }

  /** Whether a complete line (without its line break) belongs to the banner. */
  static boolean isBanner(String text, boolean inBanner) {
    return text.startsWith("!!") || (inBanner && text.isBlank());
  }

  @Override
  public synchronized void write(int b) {
    line.write(b);
    if (b == '\n') {
      endLine();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    inBanner = isBanner(text.stripTrailing(), inBanner);
    if (!inBanner) {
      target.print(text);
      target.flush();
    }
    line.reset();
  }

  @Override
  public synchronized void flush() {
    // Partial lines wait for their end: a banner line is only known once complete.
    target.flush();
  }
}
