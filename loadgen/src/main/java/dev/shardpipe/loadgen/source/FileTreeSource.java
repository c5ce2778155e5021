package dev.shardpipe.loadgen.source;

import dev.shardpipe.core.event.Event;
import dev.shardpipe.core.event.FileEvent;
import dev.shardpipe.core.event.FileMetadata;
import dev.shardpipe.generator.Texts;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import org.apache.tika.Tika;

/**
 * Real file metadata from a directory tree: one file event per regular file under the root.
 *
 * <ul>
 *   <li>{@code file_name}: the path relative to the root, with {@code /} between names;
 *   <li>{@code size_bytes}: the size;
 *   <li>{@code content_type}: the media type Apache Tika detects from the first bytes and the name
 *       (the name alone when the content cannot be read);
 *   <li>{@code user_id}: the owner's uid ({@code unix:uid}; where the file system has no uid,
 *       {@link StableIds#owner} of the owner's name);
 *   <li>{@code occurred_at}: the last modification time;
 *   <li>{@code id}: {@link StableIds#file} of the absolute path, so loading the tree twice adds no
 *       rows.
 * </ul>
 *
 * <p>Symbolic links are not followed (they may leave the tree or loop) and are counted as skipped,
 * as are directories and files that cannot be read and paths longer than 1024 characters
 * (docs/contract.md §3): nothing invalid is ever sent. The tree is listed first, then each file is
 * probed as it is asked for.
 */
public final class FileTreeSource implements EventSource {

  private static final Tika TIKA = new Tika();

  private final Path root;
  private final List<Path> files;
  private final String description;
  private final SourceTally tally;
  private int position;
  private @Nullable Event next;

  private FileTreeSource(Path root, List<Path> files, SourceTally tally) {
    this.root = root;
    this.files = files;
    this.tally = tally;
    this.description = "files " + root + ": " + files.size() + " regular files";
  }

  /**
   * Lists the tree under a directory.
   *
   * @param directory the root
   * @return the source, positioned before the first file
   * @throws IOException if the root is not a readable directory
   */
  public static FileTreeSource open(Path directory) throws IOException {
    Path root = directory.toRealPath();
    if (!Files.isDirectory(root)) {
      throw new IOException(directory + " is not a directory");
    }
    List<Path> files = new ArrayList<>();
    SourceTally tally = new SourceTally();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              files.add(file);
            } else if (attributes.isSymbolicLink()) {
              tally.skip("symbolic link (not followed)", relative(root, file));
            } else {
              tally.skip("not a regular file", relative(root, file));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            tally.skip("unreadable (" + e.getClass().getSimpleName() + ")", relative(root, file));
            return FileVisitResult.CONTINUE;
          }
        });
    return new FileTreeSource(root, files, tally);
  }

  private static String relative(Path root, Path file) {
    String name = root.relativize(file).toString();
    return file.getFileSystem().getSeparator().equals("/")
        ? name
        : name.replace(file.getFileSystem().getSeparator(), "/");
  }

  /**
   * Reads one file's metadata.
   *
   * @return the upsert, or null when the file is skipped (the tally says why)
   */
  private @Nullable FileEvent file(Path file) {
    String name = relative(root, file);
    if (Texts.length(name) > FileMetadata.FILE_NAME_MAX_LENGTH) {
      tally.skip("path longer than " + FileMetadata.FILE_NAME_MAX_LENGTH + " characters", name);
      return null;
    }
    BasicFileAttributes attributes;
    long owner;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      owner = owner(file);
    } catch (IOException | SecurityException e) {
      tally.skip("unreadable (" + e.getClass().getSimpleName() + ")", name);
      return null;
    }
    String type;
    try {
      type = TIKA.detect(file);
    } catch (IOException | SecurityException e) {
      tally.note("content unreadable, type guessed from the name", name);
      type = TIKA.detect(file.getFileName().toString());
    }
    tally.event();
    return FileEvent.upsert(
        StableIds.file(file),
        attributes.lastModifiedTime().toInstant(),
        owner,
        name,
        attributes.size(),
        Texts.cut(type, FileMetadata.CONTENT_TYPE_MAX_LENGTH));
  }

  private static long owner(Path file) throws IOException {
    try {
      return ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return StableIds.owner(Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName());
    }
  }

  @Override
  public boolean hasNext() {
    while (next == null && position < files.size()) {
      next = file(files.get(position++));
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
    return OptionalLong.of(files.size());
  }

  @Override
  public SourceCounts counts() {
    return tally.snapshot();
  }

  @Override
  public void close() {
    files.clear();
  }
}
