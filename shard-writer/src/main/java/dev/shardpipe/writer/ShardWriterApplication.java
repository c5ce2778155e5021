package dev.shardpipe.writer;

import dev.shardpipe.writer.consume.ShardWriter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import java.util.concurrent.ExecutionException;

/**
 * Runs one shard's writer: {@code java -jar shard-writer.jar --shard=eu}. Exits with status 1 when
 * the writer stops on an error retrying cannot fix, so that a supervisor restarts it.
 */
public final class ShardWriterApplication {

  private ShardWriterApplication() {}

  /**
   * Starts the writer and waits for it to end.
   *
   * @param args Micronaut command-line properties, such as {@code --shard=eu}
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    ApplicationContext context =
        Micronaut.build(args).mainClass(ShardWriterApplication.class).start();
    try {
      context.getBean(ShardWriter.class).termination().get();
    } catch (ExecutionException e) {
      context.close();
      System.exit(1);
    }
  }
}
