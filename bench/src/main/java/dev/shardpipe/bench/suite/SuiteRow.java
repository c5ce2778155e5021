package dev.shardpipe.bench.suite;

/**
 * One line of the suite's table: a figure of the pipeline next to its reference measured in the
 * same run.
 *
 * @param figure what was measured, and how
 * @param value its value with its unit
 * @param reference what the reference is
 * @param referenceValue the reference's value
 * @param ratio figure over reference, as a decimal
 * @param target the target, or an empty string
 * @param met {@code yes}, {@code no}, or an empty string without a target
 * @param load the one-minute load average at the start and end of the figure's run
 */
record SuiteRow(
    String figure,
    String value,
    String reference,
    String referenceValue,
    String ratio,
    String target,
    String met,
    String load) {

  /** Returns the row as a Markdown table row. */
  String markdown() {
    return "| "
        + String.join(" | ", figure, value, reference, referenceValue, ratio, target, met, load)
        + " |";
  }
}
