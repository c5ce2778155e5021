package dev.shardpipe.query.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shards asked in parallel answered: a value from each shard that answered in time, a
 * failure for each that did not. Every shard asked is in exactly one of the two maps.
 *
 * @param <T> what each shard answers
 * @param asked the shards asked, in placement order
 * @param answers the answers, in placement order
 * @param failures why each missing shard is missing, in placement order
 */
public record Answers<T>(
    List<String> asked, Map<String, T> answers, Map<String, ShardFailure> failures) {

  /**
   * Copies the collections, keeping their order.
   *
   * @throws IllegalArgumentException if a shard asked is in neither map, or in both
   */
  public Answers {
    asked = List.copyOf(asked);
    for (String shard : asked) {
      if (answers.containsKey(shard) == failures.containsKey(shard)) {
        throw new IllegalArgumentException(
            "shard " + shard + " must either answer or fail, not both or neither");
      }
    }
    // Map.copyOf would lose the placement order that merges and responses rely on.
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
  }

  /**
   * Tells whether every shard asked answered.
   *
   * @return true when nothing is missing
   */
  public boolean complete() {
    return failures.isEmpty();
  }

  /**
   * Tells whether no shard answered, so there is nothing to return but an error.
   *
   * @return true when every shard asked failed
   */
  public boolean noneAnswered() {
    return answers.isEmpty();
  }

  /**
   * Returns the shards that did not answer.
   *
   * @return their names, in placement order
   */
  public List<String> missing() {
    return List.copyOf(failures.keySet());
  }

  /**
   * Returns the answers without their shard names.
   *
   * @return the values, in placement order
   */
  public List<T> values() {
    return new ArrayList<>(answers.values());
  }
}
