package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches of an embedded cluster closing while it is written to: every write succeeds, and the
 * cluster still notifies its watches afterwards. (The CRUD mock shut a closing watch's sender down
 * before it stopped notifying it: a write meanwhile failed with 500 after it was stored, and the
 * watches after the closing one in the mock's list never saw the change.)
 */
class ClosingWatchesIT {
  @TempDir Path dir;

  @Test
  void writesWhileWatchesCloseSucceedAndTheClusterStillNotifies() throws Exception {
    try (EmbeddedFleet fleet = FaultyFleet.start(dir.resolve("kubeconfig"), "a")) {
      KubernetesClient client = fleet.client("a");
      client.configMaps().inNamespace("default").resource(settings("0")).create();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger written = new AtomicInteger();
      AtomicReference<Exception> failed = new AtomicReference<>();
      Thread writer =
          new Thread(
              () -> {
                while (writing.get()) {
                  String value = Integer.toString(written.get() + 1);
                  try {
                    client
                        .configMaps()
                        .inNamespace("default")
                        .withName("settings")
                        .edit(
                            cm -> {
                              cm.getData().put("round", value);
                              return cm;
                            });
                    written.incrementAndGet();
                  } catch (Exception e) {
                    failed.compareAndSet(null, e);
                    return;
                  }
                }
              });
      writer.start();
      try {
        for (int round = 0; round < 20 && failed.get() == null; round++) {
          List<Watch> closing = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            closing.add(client.configMaps().inNamespace("default").watch(recording(null)));
          }
          Thread.sleep(20);
          if (round % 2 == 0) {
            closing.forEach(Watch::close);
          } else {
            // Closed by the server, as a restarting API server would.
            FaultyFleet.dropWatches(fleet, "a");
          }
        }
      } finally {
        writing.set(false);
        writer.join();
      }
      assertThat(failed.get()).as("every write while watches close succeeds").isNull();
      assertThat(written.get()).isPositive();
      // A watch opened now sees the next change: the cluster still notifies.
      Set<String> fresh = ConcurrentHashMap.newKeySet();
      try (Watch w = client.configMaps().inNamespace("default").watch(recording(fresh))) {
        Thread.sleep(100);
        client
            .configMaps()
            .inNamespace("default")
            .withName("settings")
            .edit(
                cm -> {
                  cm.getData().put("round", "last");
                  return cm;
                });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!fresh.contains("last") && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(fresh).contains("last");
      }
    }
  }

  private static ConfigMap settings(String round) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("settings")
        .withNamespace("default")
        .endMetadata()
        .addToData("round", round)
        .build();
  }

  /** Records the {@code round} value of each change seen (nothing when {@code seen} is null). */
  private static Watcher<ConfigMap> recording(Set<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap cm) {
        if (seen != null && cm.getData() != null) {
          seen.add(cm.getData().get("round"));
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // dropped on purpose
      }
    };
  }
}
