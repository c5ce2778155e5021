package dev.shardpipe.generator;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.datafaker.Faker;

/** What a generated tweet says: Datafaker's lorem ipsum or its quotes. */
public final class TweetTexts {

  private final String description;
  private final Maker maker;

  /** Makes one text, before it is cut to the limit; may be blank, then another is made. */
  @FunctionalInterface
  interface Maker {
    String make(Faker faker, Random random);
  }

  private TweetTexts(String description, Maker maker) {
    this.description = description;
    this.maker = maker;
  }

  /**
   * Lorem-ipsum sentences: Datafaker's {@code lorem().sentence(w)} of {@code w} drawn uniformly
   * from {@code minWords..maxWords} (Datafaker adds 0 to 5 words of its own), words and one dot
   * only, so nothing that {@code COPY} or CSV would have to escape.
   *
   * @param minWords at least 1
   * @param maxWords at least {@code minWords}
   * @return the style
   * @throws IllegalArgumentException if the bounds are out of order or below 1
   */
  public static TweetTexts lorem(int minWords, int maxWords) {
    if (minWords < 1 || maxWords < minWords) {
      throw new IllegalArgumentException(
          "words must be 1 <= min <= max, was " + minWords + ".." + maxWords);
    }
    return new TweetTexts(
        "lorem ipsum of " + minWords + " to " + maxWords + " words",
        (faker, random) ->
            faker.lorem().sentence(minWords + random.nextInt(maxWords - minWords + 1)));
  }

  /**
   * Quotes from Datafaker's providers (Yoda, famous last words, Chuck Norris, the Hitchhiker's
   * Guide, films, Friends, the Simpsons), one in four followed by a hashtag.
   *
   * @return the style
   */
  public static TweetTexts quotes() {
    List<Function<Faker, String>> quotes =
        List.of(
            f -> f.yoda().quote(),
            f -> f.famousLastWords().lastWords(),
            f -> f.chuckNorris().fact(),
            f -> f.hitchhikersGuideToTheGalaxy().quote(),
            f -> f.movie().quote(),
            f -> f.friends().quote(),
            f -> f.simpsons().quote());
    return new TweetTexts(
        "quotes",
        (faker, random) -> {
          String text = quotes.get(random.nextInt(quotes.size())).apply(faker);
          return random.nextInt(4) == 0 ? text + " #" + faker.word().noun() : text;
        });
  }

  Maker maker() {
    return maker;
  }

  @Override
  public String toString() {
    return description;
  }
}
