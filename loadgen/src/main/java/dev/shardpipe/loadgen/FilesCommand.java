package dev.shardpipe.loadgen;

import dev.shardpipe.loadgen.source.FileTreeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadgen files <directory>}: one file event per regular file under the directory. */
@Command(
    name = "files",
    mixinStandardHelpOptions = true,
    description = {
      "Real file metadata from a directory tree: the path relative to the directory as"
          + " file_name, the size as size_bytes, the media type Apache Tika detects as"
          + " content_type, the owner's uid as user_id, the modification time as occurred_at."
          + " Symbolic links are not followed; unreadable files are counted and reported. Ids come"
          + " from the absolute paths: loading twice adds no rows."
    })
final class FilesCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "The directory, such as $JAVA_HOME.")
  private Path directory;

  @Mixin private SendOptions send;

  @Spec private CommandSpec command;

  @Override
  public Integer call() throws Exception {
    SendSettings settings = send.settings();
    FileTreeSource source;
    try {
      source = FileTreeSource.open(directory);
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e);
    }
    return new IngestRun(settings, System.out, Clock.systemUTC()).run(source);
  }
}
