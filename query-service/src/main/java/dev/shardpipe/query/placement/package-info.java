/**
 * How query-service takes part in placement changes: it reports to the catalog which placement
 * version it reads with, so that a moved partition's old copy is kept until no reader uses it.
 * Reads themselves take their placement from {@link dev.shardpipe.core.placement.PlacementSource}
 * in {@code query/http}; nothing here is on a request's path.
 */
package dev.shardpipe.query.placement;
