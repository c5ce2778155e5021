package dev.shardpipe.loadgen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.TweetEvent;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHistorySourceTest {

  private static final Instant WHEN = Instant.parse("2024-03-05T10:15:30Z");
  private static final String SMILE = "\uD83D\uDE00";

  @TempDir Path dir;

  @Test
  void mapsEachCommitToATweetOfItsSubjectAuthorOffsetAddressAndDate() throws Exception {
    RevCommit commit;
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit =
          commit(git, "Fix the parser\n\nA body that is not the subject.", "-05:00", "ada@x.org");
    }

    List<TweetEvent> tweets = read(dir);

    assertThat(tweets).hasSize(1);
    TweetEvent tweet = tweets.get(0);
    assertThat(tweet.id()).isEqualTo(StableIds.commit(commit.getName()));
    assertThat(tweet.occurredAt()).isEqualTo(WHEN);
    assertThat(tweet.data().text()).isEqualTo("Fix the parser");
    assertThat(tweet.data().location()).isEqualTo("usa");
    assertThat(tweet.data().ownerId()).isEqualTo(StableIds.owner("ada@x.org"));
    assertThat(tweet.data().likeCount()).isZero();
  }

  @Test
  void takesTheLocationFromEachAuthorsOffset() throws Exception {
    Map<String, String> locationBySubject =
        Map.of(
            "in Honolulu", "-10:00",
            "in Marquesas", "-09:30",
            "in Newfoundland", "-03:30",
            "in South Georgia", "-02:00",
            "in the Azores", "-01:00",
            "in Greenwich", "Z",
            "in Dubai", "+04:00",
            "in Kabul", "+04:30",
            "in Kolkata", "+05:30",
            "in Kiritimati", "+14:00");
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      for (Map.Entry<String, String> e : locationBySubject.entrySet()) {
        commit(git, e.getKey(), e.getValue(), "someone@x.org");
      }
    }

    Map<String, String> locations =
        read(dir).stream()
            .collect(Collectors.toMap(t -> t.data().text(), t -> t.data().location()));

    assertThat(locations)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "in Honolulu", "usa",
                "in Marquesas", "usa",
                "in Newfoundland", "usa",
                "in South Georgia", "other",
                "in the Azores", "europe",
                "in Greenwich", "europe",
                "in Dubai", "europe",
                "in Kabul", "other",
                "in Kolkata", "other",
                "in Kiritimati", "other"));
  }

  @Test
  void givesAnAuthorTheSameOwnerWhateverTheCaseOfTheAddress() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "first", "Z", "Ada@Example.org");
      commit(git, "second", "Z", "ada@example.ORG");
      commit(git, "third", "Z", "bob@example.org");
    }

    Map<String, Long> owners =
        read(dir).stream().collect(Collectors.toMap(t -> t.data().text(), t -> t.data().ownerId()));

    assertThat(owners.get("first")).isEqualTo(owners.get("second"));
    assertThat(owners.get("third")).isNotEqualTo(owners.get("first"));
  }

  @Test
  void cutsALongUnicodeSubjectTo280CodePointsWithoutSplittingASurrogatePair() throws Exception {
    String subject = "é".repeat(279) + SMILE + SMILE + " and more";
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, subject, "Z", "ada@x.org");
    }

    String text = read(dir).get(0).data().text();

    assertThat(text).isEqualTo("é".repeat(279) + SMILE);
    assertThat(text.codePointCount(0, text.length())).isEqualTo(280);
  }

  @Test
  void includesMergeCommitsAndEveryCommitReachableFromHead() throws Exception {
    List<RevCommit> commits = new ArrayList<>();
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      commits.add(commit(git, "base", "Z", "ada@x.org"));
      git.branchCreate().setName("feature").call();
      commits.add(commit(git, "on main", "+01:00", "ada@x.org"));
      git.checkout().setName("feature").call();
      commits.add(commit(git, "on feature", "-07:00", "bob@x.org"));
      git.checkout().setName("main").call();
      git.merge()
          .include(git.getRepository().resolve("feature"))
          .setFastForward(MergeCommand.FastForwardMode.NO_FF)
          .setCommit(false)
          .call();
      commits.add(commit(git, "Merge branch 'feature'", "+02:00", "ada@x.org"));
    }
    assertThat(commits.get(3).getParentCount()).isEqualTo(2);

    try (GitHistorySource source = GitHistorySource.open(dir)) {
      List<Event> events = drain(source);

      assertThat(events)
          .extracting(Event::id)
          .containsExactlyInAnyOrderElementsOf(
              commits.stream().map(c -> StableIds.commit(c.getName())).toList());
      assertThat(source.counts().items()).isEqualTo(4);
      assertThat(source.counts().events()).isEqualTo(4);
      assertThat(source.description()).contains(commits.get(3).abbreviate(7).name());
    }
  }

  @Test
  void skipsAndCountsACommitWithAnEmptySubject() throws Exception {
    RevCommit empty;
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "kept", "Z", "ada@x.org");
      empty = commit(git, "", "Z", "ada@x.org");
    }

    try (GitHistorySource source = GitHistorySource.open(dir)) {
      List<Event> events = drain(source);

      assertThat(events).hasSize(1);
      assertThat(source.counts().items()).isEqualTo(2);
      assertThat(source.counts().skipped()).containsExactly(Map.entry("empty commit subject", 1L));
      assertThat(source.counts().examples()).containsEntry("empty commit subject", empty.getName());
    }
  }

  @Test
  void givesTheSameEventsOnEveryRead() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "one", "Z", "ada@x.org");
      commit(git, "two", "-04:00", "bob@x.org");
    }

    assertThat(read(dir)).isEqualTo(read(dir));
  }

  @Test
  void makesEventsCoreAccepts() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "a\tsubject with \"quotes\" and " + SMILE, "+05:45", "ada@x.org");
    }
    EventCodec codec = new EventCodec(JsonMapper.createDefault());

    for (TweetEvent tweet : read(dir)) {
      assertThat(codec.decode(codec.encode(tweet))).isEqualTo(tweet);
    }
  }

  @Test
  void opensTheRepositoryFromADirectoryInsideItsWorkTree() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "one", "Z", "ada@x.org");
    }
    Path inside = Files.createDirectories(dir.resolve("src/main"));

    assertThat(read(inside)).hasSize(1);
  }

  @Test
  void refusesADirectoryThatNoRepositoryHolds() {
    assertThatThrownBy(() -> GitHistorySource.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no git repository holds " + dir);
  }

  @Test
  void refusesARepositoryWithoutCommits() throws Exception {
    Git.init().setDirectory(dir.toFile()).call().close();

    assertThatThrownBy(() -> GitHistorySource.open(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no commit yet");
  }

  private static RevCommit commit(Git git, String message, String offset, String email)
      throws Exception {
    PersonIdent ident = new PersonIdent("Someone", email, WHEN, ZoneOffset.of(offset));
    return git.commit()
        .setMessage(message)
        .setAuthor(ident)
        .setCommitter(ident)
        .setAllowEmpty(true)
        .setSign(false)
        .call();
  }

  private static List<TweetEvent> read(Path directory) throws IOException {
    try (GitHistorySource source = GitHistorySource.open(directory)) {
      return drain(source).stream().map(TweetEvent.class::cast).toList();
    }
  }

  private static List<Event> drain(EventSource source) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 1000 && source.hasNext(); i++) {
      events.add(source.next());
    }
    assertThat(source.hasNext()).isFalse();
    return events;
  }
}
