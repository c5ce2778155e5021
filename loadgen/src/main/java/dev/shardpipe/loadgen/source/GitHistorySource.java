package dev.shardpipe.loadgen.source;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.Tweet;
import dev.shardpipe.core.event.TweetEvent;
import dev.shardpipe.generator.Locations;
import dev.shardpipe.generator.Texts;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Real tweets from a git repository's history (JGit): one tweet per commit reachable from {@code
 * HEAD}, merges included, newest first as {@code git log} lists them.
 *
 * <ul>
 *   <li>{@code text}: the commit's subject ({@code git log --format=%s}: the first paragraph of the
 *       message on one line), cut to 280 characters counted as code points;
 *   <li>{@code location}: the author's time-zone offset, by {@link Locations#of};
 *   <li>{@code owner_id}: the author's e-mail, by {@link StableIds#owner};
 *   <li>{@code occurred_at}: the author date (its instant; the offset decides the location);
 *   <li>{@code id}: {@link StableIds#commit}, so loading the history twice adds no rows.
 * </ul>
 *
 * <p>A commit with an empty subject, or one holding NUL, which no tweet may hold (docs/contract.md
 * §3), is skipped and counted.
 */
public final class GitHistorySource implements EventSource {

  private final Repository repository;
  private final RevWalk walk;
  private final Iterator<RevCommit> commits;
  private final String description;
  private final SourceTally tally = new SourceTally();
  private @Nullable Event next;

  private GitHistorySource(Repository repository, RevWalk walk, String description) {
    this.repository = repository;
    this.walk = walk;
    this.commits = walk.iterator();
    this.description = description;
  }

  /**
   * Opens the repository that holds a directory, as {@code git} finds it from there (a work tree, a
   * linked work tree or a bare repository).
   *
   * @param directory a directory in the repository
   * @return the source, positioned before the newest commit
   * @throws IOException if no repository holds the directory, or it cannot be read
   * @throws IllegalArgumentException if the repository has no commit yet
   */
  public static GitHistorySource open(Path directory) throws IOException {
    FileRepositoryBuilder builder =
        new FileRepositoryBuilder().readEnvironment().findGitDir(directory.toFile());
    if (builder.getGitDir() == null) {
      throw new IOException("no git repository holds " + directory.toAbsolutePath());
    }
    Repository repository = builder.setMustExist(true).build();
    try {
      ObjectId head = repository.resolve(Constants.HEAD);
      if (head == null) {
        throw new IllegalArgumentException(
            "the git repository " + repository.getDirectory() + " has no commit yet");
      }
      RevWalk walk = new RevWalk(repository);
      walk.markStart(walk.parseCommit(head));
      String where =
          repository.isBare()
              ? repository.getDirectory().toString()
              : repository.getWorkTree().toString();
      return new GitHistorySource(
          repository,
          walk,
          "git " + where + ": commits reachable from HEAD " + head.abbreviate(7).name());
    } catch (IOException | RuntimeException e) {
      repository.close();
      throw e;
    }
  }

  /**
   * Maps one commit to its tweet.
   *
   * @param commit a parsed commit
   * @return the upsert, or null when the subject cannot be a tweet's text
   */
  static @Nullable TweetEvent tweet(RevCommit commit) {
    String subject = Texts.cut(commit.getShortMessage(), Tweet.TEXT_MAX_LENGTH);
    if (subject.isEmpty() || subject.indexOf('\0') >= 0) {
      return null;
    }
    PersonIdent author = commit.getAuthorIdent();
    return TweetEvent.upsert(
        StableIds.commit(commit.getName()),
        author.getWhenAsInstant(),
        Locations.of(author.getZoneOffset()),
        StableIds.owner(author.getEmailAddress()),
        subject,
        0);
  }

  @Override
  public boolean hasNext() {
    while (next == null && commits.hasNext()) {
      RevCommit commit = commits.next();
      next = tweet(commit);
      if (next == null) {
        tally.skip(
            commit.getShortMessage().isEmpty()
                ? "empty commit subject"
                : "commit subject holds NUL (U+0000)",
            commit.getName());
      } else {
        tally.event();
      }
    }
    return next != null;
  }

  @Override
  public Event next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Event event = next;
    next = null;
    return event;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public OptionalLong expectedEvents() {
    return OptionalLong.empty();
  }

  @Override
  public SourceCounts counts() {
    return tally.snapshot();
  }

  @Override
  public void close() {
    walk.close();
    repository.close();
  }
}
