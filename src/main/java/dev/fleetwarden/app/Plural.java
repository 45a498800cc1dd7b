package dev.fleetwarden.app;

/** "1 problem", "2 problems": counted nouns in the CLI's messages. */
final class Plural {
  private Plural() {}

  static String of(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun + "s");
  }
}
