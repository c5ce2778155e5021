package dev.shardpipe.writer.consume;

import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.catalog.CatalogWatcher;
import java.util.function.Consumer;

/**
 * What the writer reads of the catalog: the newest snapshot, whether it is current, and news of the
 * next one. {@link CatalogWatcher} in the service; a seam so that the loop runs in a unit test
 * without the catalog's database.
 */
interface CatalogView {

  /** The newest snapshot this process has seen. */
  CatalogSnapshot current();

  /** Whether the last read of the catalog succeeded. */
  boolean connected();

  /** Reads the catalog now and returns the snapshot then current. */
  CatalogSnapshot refresh();

  /** Calls the listener with each newer snapshot. */
  void addListener(Consumer<CatalogSnapshot> listener);

  static CatalogView of(CatalogWatcher watcher) {
    return new CatalogView() {
      @Override
      public CatalogSnapshot current() {
        return watcher.current();
      }

      @Override
      public boolean connected() {
        return watcher.connected();
      }

      @Override
      public CatalogSnapshot refresh() {
        return watcher.refresh();
      }

      @Override
      public void addListener(Consumer<CatalogSnapshot> listener) {
        watcher.addListener(listener);
      }
    };
  }
}
