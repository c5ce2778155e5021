package dev.shardpipe.query;

import dev.shardpipe.writer.persist.ShardStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader for a query-service context in tests. shard-writer is on the test classpath only
 * so that the tests fill the shards with its {@link ShardStore}; its bean definitions (a
 * {@code @Context} writer that needs {@code --shard}) and its {@code application.yml} must not join
 * the query service. Micronaut finds both as class-path resources, so hiding shard-writer's
 * resources hides them, while its classes still load from the parent.
 */
final class WriterBeansHidden extends ClassLoader {

  private final String writerLocation;

  WriterBeansHidden() {
    super(WriterBeansHidden.class.getClassLoader());
    this.writerLocation =
        ShardStore.class.getProtectionDomain().getCodeSource().getLocation().toString();
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> kept =
        Collections.list(super.getResources(name)).stream().filter(u -> !fromWriter(u)).toList();
    return Collections.enumeration(kept);
  }

  @Override
  public URL getResource(String name) {
    try {
      Enumeration<URL> found = getResources(name);
      return found.hasMoreElements() ? found.nextElement() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    URL url = getResource(name);
    try {
      return url == null ? null : url.openStream();
    } catch (IOException e) {
      return null;
    }
  }

  private boolean fromWriter(URL url) {
    String text = url.toString();
    return text.startsWith(writerLocation) || text.startsWith("jar:" + writerLocation);
  }
}
