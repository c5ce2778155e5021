package dev.shardpipe.loadgen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.EventCodec;
import dev.shardpipe.core.event.FileEvent;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeSourceTest {

  /** The PNG signature and the start of an IHDR chunk. */
  private static final byte[] PNG =
      HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489");

  private static final byte[] GZIP = HexFormat.of().parseHex("1f8b0800000000000003");
  private static final Instant MTIME = Instant.parse("2023-06-01T08:00:00.123456Z");

  @TempDir Path dir;

  @Test
  void mapsEachRegularFileToItsRelativePathSizeTypeOwnerAndModificationTime() throws Exception {
    Path root = dir.resolve("tree");
    Path pdf = write(root.resolve("docs/report.pdf"), "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n");
    write(root.resolve("notes.txt"), "plain words\n");
    write(root.resolve("img/picture.dat"), PNG);
    write(root.resolve("archive.bin"), GZIP);
    Files.setLastModifiedTime(pdf, FileTime.from(MTIME));

    Map<String, FileEvent> files = read(root);

    assertThat(files)
        .containsOnlyKeys("docs/report.pdf", "notes.txt", "img/picture.dat", "archive.bin");
    FileEvent report = files.get("docs/report.pdf");
    assertThat(report.id()).isEqualTo(StableIds.file(root.toRealPath().resolve("docs/report.pdf")));
    assertThat(report.occurredAt()).isEqualTo(MTIME);
    assertThat(report.data().sizeBytes()).isEqualTo(Files.size(pdf));
    assertThat(report.data().userId())
        .isEqualTo(((Number) Files.getAttribute(pdf, "unix:uid")).longValue());
    assertThat(report.data().contentType()).isEqualTo("application/pdf");
    assertThat(files.get("notes.txt").data().contentType()).isEqualTo("text/plain");
    assertThat(files.get("img/picture.dat").data().contentType()).isEqualTo("image/png");
    assertThat(files.get("archive.bin").data().contentType()).isEqualTo("application/gzip");
  }

  @Test
  void givesTheSameIdsOnEveryReadAndThroughALinkToTheRoot() throws Exception {
    Path root = dir.resolve("tree");
    write(root.resolve("a.txt"), "a");
    write(root.resolve("b/c.txt"), "c");
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), root);

    Map<String, FileEvent> first = read(root);
    Map<String, FileEvent> again = read(root);
    Map<String, FileEvent> throughLink = read(alias);

    assertThat(again).isEqualTo(first);
    assertThat(throughLink.keySet()).isEqualTo(first.keySet());
    assertThat(throughLink.get("b/c.txt").id()).isEqualTo(first.get("b/c.txt").id());
  }

  @Test
  void skipsSymbolicLinksWithoutFollowingThemAndCountsThem() throws Exception {
    Path root = dir.resolve("tree");
    Path target = write(dir.resolve("outside/secret.txt"), "outside the tree");
    write(root.resolve("kept.txt"), "kept");
    Files.createSymbolicLink(root.resolve("link-to-file"), target);
    Files.createSymbolicLink(root.resolve("link-to-dir"), target.getParent());
    Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));

    try (FileTreeSource source = FileTreeSource.open(root)) {
      List<Event> events = drain(source);

      assertThat(events).hasSize(1);
      assertThat(source.counts().items()).isEqualTo(4);
      assertThat(source.counts().skipped())
          .containsExactly(Map.entry("symbolic link (not followed)", 3L));
    }
  }

  @Test
  void givesNothingForEmptyDirectories() throws Exception {
    Path root = Files.createDirectories(dir.resolve("tree/empty/deeper"));

    try (FileTreeSource source = FileTreeSource.open(root.getParent().getParent())) {
      assertThat(source.hasNext()).isFalse();
      assertThat(source.counts().items()).isZero();
      assertThat(source.expectedEvents()).hasValue(0);
    }
  }

  @Test
  void skipsAndReportsAPathLongerThan1024Characters() throws Exception {
    Path root = dir.resolve("tree");
    String segment = "d".repeat(200);
    Path deep =
        root.resolve(segment).resolve(segment).resolve(segment).resolve(segment).resolve(segment);
    Path longFile;
    try {
      longFile = write(deep.resolve(segment + ".txt"), "far down");
    } catch (IOException e) {
      Assumptions.abort("the file system refuses a path of 1 000 characters: " + e);
      return;
    }
    write(root.resolve("short.txt"), "near");
    String longName = root.relativize(longFile).toString();
    assertThat(longName.length()).isGreaterThan(1024);

    try (FileTreeSource source = FileTreeSource.open(root)) {
      List<Event> events = drain(source);

      assertThat(events)
          .extracting(e -> ((FileEvent) e).data().fileName())
          .containsExactly("short.txt");
      assertThat(source.counts().skipped())
          .containsExactly(Map.entry("path longer than 1024 characters", 1L));
      assertThat(source.counts().examples()).containsValue(longName);
    }
  }

  @Test
  void keepsAnUnreadableFileWithATypeGuessedFromItsNameAndNotesIt() throws Exception {
    Assumptions.assumeFalse(isRoot(), "root reads every file");
    Path root = dir.resolve("tree");
    Path locked = write(root.resolve("locked.pdf"), "%PDF-1.4\n");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));

    try (FileTreeSource source = FileTreeSource.open(root)) {
      List<Event> events = drain(source);

      assertThat(events).hasSize(1);
      assertThat(((FileEvent) events.get(0)).data().contentType()).isEqualTo("application/pdf");
      assertThat(source.counts().notes())
          .containsExactly(Map.entry("content unreadable, type guessed from the name", 1L));
    }
  }

  @Test
  void countsAnUnreadableDirectoryAsSkippedAndGoesOn() throws Exception {
    Assumptions.assumeFalse(isRoot(), "root reads every directory");
    Path root = dir.resolve("tree");
    write(root.resolve("closed/inside.txt"), "hidden");
    write(root.resolve("open.txt"), "seen");
    Files.setPosixFilePermissions(
        root.resolve("closed"), PosixFilePermissions.fromString("---------"));
    try (FileTreeSource source = FileTreeSource.open(root)) {
      List<Event> events = drain(source);

      assertThat(events).hasSize(1);
      assertThat(source.counts().skipped()).containsOnlyKeys("unreadable (AccessDeniedException)");
    } finally {
      Files.setPosixFilePermissions(
          root.resolve("closed"), PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void makesEventsCoreAccepts() throws Exception {
    Path root = dir.resolve("tree");
    write(root.resolve("names with spaces/ünïcødé \uD83D\uDE00.txt"), "x");
    write(root.resolve("empty"), new byte[0]);
    EventCodec codec = new EventCodec(JsonMapper.createDefault());

    for (FileEvent event : read(root).values()) {
      assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }
  }

  @Test
  void refusesARootThatIsNotADirectory() throws Exception {
    Path file = write(dir.resolve("plain.txt"), "x");

    assertThatThrownBy(() -> FileTreeSource.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> FileTreeSource.open(dir.resolve("missing")))
        .isInstanceOf(IOException.class);
  }

  private static boolean isRoot() throws IOException {
    Path probe = Files.createTempFile("uid", ".probe");
    try {
      return ((Number) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue()
          == 0;
    } finally {
      Files.delete(probe);
    }
  }

  private static Path write(Path file, String text) throws IOException {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  private static Map<String, FileEvent> read(Path root) throws IOException {
    try (FileTreeSource source = FileTreeSource.open(root)) {
      return drain(source).stream()
          .map(FileEvent.class::cast)
          .collect(Collectors.toMap(f -> f.data().fileName(), Function.identity()));
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
