package dev.shardpipe.catalog;

import java.util.Locale;

/**
 * The steps of moving one partition from a source shard to a target shard, in order; stored and
 * shown lower-case ({@code catching_up}). docs/elasticity.md says what each step does and who does
 * it.
 */
public enum MoveState {
  /** The partition's rows and applied offset are being copied from the source to the target. */
  COPYING,
  /** The target's writer applies the partition from the copied offset on, like after a restart. */
  CATCHING_UP,
  /** The source's writer is fenced off; the target applies up to the source's final offset. */
  CUTOVER,
  /** Placement names the target; the source's copy is dropped once no reader uses it. */
  CLEANING,
  /** Finished. */
  DONE,
  /** Rolled back before its cutover; the source kept the partition. */
  ABORTED;

  /**
   * Returns the stored name.
   *
   * @return the lower-case name, such as {@code catching_up}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Tells whether the move is still under way.
   *
   * @return false for {@link #DONE} and {@link #ABORTED}
   */
  public boolean active() {
    return this != DONE && this != ABORTED;
  }

  /**
   * Tells whether the move can still be rolled back: the source has not been fenced yet.
   *
   * @return true for {@link #COPYING} and {@link #CATCHING_UP}
   */
  public boolean abortable() {
    return this == COPYING || this == CATCHING_UP;
  }

  /**
   * Parses a stored name.
   *
   * @param label a lower-case name, such as {@code cutover}
   * @return the state
   * @throws IllegalArgumentException if the name is unknown
   */
  public static MoveState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
