package dev.shardpipe.query.http;

import dev.shardpipe.http.problem.ProblemException;
import dev.shardpipe.query.shard.Answers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code 503} of docs/contract.md §7 for a read whose shards did not answer. */
final class ShardProblems {

  static final String TYPE = "shard-unavailable";
  static final String TITLE = "Shard unavailable";

  private ShardProblems() {}

  /**
   * A {@code 503} naming the missing shards: as the extension {@code shard} when there is one, and
   * always as {@code missing_shards}.
   *
   * @param what what could not be answered, such as {@code the tweets}
   */
  static ProblemException unavailable(String what, Answers<?> answers, Duration retryAfter) {
    List<String> missing = answers.missing();
    StringBuilder detail = new StringBuilder("cannot answer ").append(what).append(": ");
    for (int i = 0; i < missing.size(); i++) {
      String shard = missing.get(i);
      detail
          .append(i == 0 ? "" : "; ")
          .append("shard ")
          .append(shard)
          .append(' ')
          .append(answers.failures().get(shard).description());
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (missing.size() == 1) {
      extensions.put("shard", missing.get(0));
    }
    extensions.put("missing_shards", missing);
    return ProblemException.unavailable(TYPE, TITLE, detail.toString(), retryAfter, extensions);
  }
}
