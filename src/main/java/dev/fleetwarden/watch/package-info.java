/**
 * Event-driven detection, the pure half: the watch states a cluster can be in, the coalescing of
 * bursts of events into one verdict per object, the trimming of cached live objects to what the
 * diff needs, the check that counts drift the watches missed, and the two ports the watching needs
 * ({@link dev.fleetwarden.watch.LiveWatches} for the clusters, {@link
 * dev.fleetwarden.watch.ClusterLeases} for one watcher per cluster across nodes). No client, no
 * clock, no thread: callers pass the time.
 */
package dev.fleetwarden.watch;
