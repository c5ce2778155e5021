package dev.shardpipe.generator;

/**
 * Text cut to a field's limit, counted in code points as core's field rules count (docs/contract.md
 * §3).
 */
public final class Texts {

  private Texts() {}

  /**
   * Returns the text cut to at most {@code maxCodePoints} code points; a surrogate pair is never
   * split.
   *
   * @param text any text
   * @param maxCodePoints the limit, {@code >= 0}
   * @return the text itself when it fits, else its first {@code maxCodePoints} code points
   */
  public static String cut(String text, int maxCodePoints) {
    if (text.codePointCount(0, text.length()) <= maxCodePoints) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, maxCodePoints));
  }

  /**
   * Returns the length as core's field rules count it.
   *
   * @param text any text
   * @return its number of code points
   */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
