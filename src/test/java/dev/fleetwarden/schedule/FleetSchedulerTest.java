package dev.fleetwarden.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.reconcile.TaskFiring;
import dev.fleetwarden.reconcile.TaskRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

class FleetSchedulerTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** Four clusters: two prod, one staging, one management. */
  private static final ClusterDirectory FLEET =
      () ->
          Map.of(
              "prod-eu-1", Map.of("environment", "prod", "role", "workload", "region", "eu"),
              "prod-us-1", Map.of("environment", "prod", "role", "workload", "region", "us"),
              "staging-1", Map.of("environment", "staging", "role", "workload"),
              "mgmt", Map.of("environment", "prod", "role", "management"));

  private FleetScheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.shutdown(Duration.ofSeconds(5));
    }
  }

  private FleetScheduler create(TaskRunner runner, ClusterDirectory dir, int threads)
      throws Exception {
    scheduler =
        FleetScheduler.create(
            SchedulerConfig.inMemory("test-" + NAMES.incrementAndGet(), threads), runner, dir);
    return scheduler;
  }

  private static ScheduleSpec spec(String name, Task task, String cron, ClusterTarget target) {
    return ScheduleSpec.of(name, task, cron, target);
  }

  @Test
  void oneJobPerTaskAndTargetCluster() {
    JobPlan plan =
        JobPlan.of(
            List.of(
                spec("all", Task.KUBERNETES_DRIFT, "0 */5 * * * ?", ClusterTarget.ALL),
                spec(
                    "prod",
                    Task.KUBERNETES_DRIFT,
                    "30 */2 * * * ?",
                    new ClusterTarget(
                        List.of(), Map.of("environment", "prod", "role", "workload"))),
                spec(
                    "tf",
                    Task.TERRAFORM_DRIFT,
                    "0 7 * * * ?",
                    new ClusterTarget(List.of("staging-1", "gone-1"), Map.of())),
                spec("poll", Task.GIT_POLL, "0 * * * * ?", ClusterTarget.ALL)),
            FLEET);

    assertThat(plan.jobKeys())
        .containsExactly(
            "git-poll/_fleet",
            "kubernetes-drift/mgmt",
            "kubernetes-drift/prod-eu-1",
            "kubernetes-drift/prod-us-1",
            "kubernetes-drift/staging-1",
            "terraform-drift/staging-1");
    assertThat(plan.triggers())
        .extracting(JobPlan.PlannedTrigger::triggerName)
        .containsExactly(
            "poll/_fleet",
            "all/mgmt",
            "all/prod-eu-1",
            "prod/prod-eu-1",
            "all/prod-us-1",
            "prod/prod-us-1",
            "all/staging-1",
            "tf/staging-1");
    assertThat(plan.unknownClusters()).containsExactly("gone-1");
  }

  @Test
  void reloadReplacesJobsByKeyWithoutDuplicates() throws Exception {
    FleetScheduler s = create((task, cluster) -> {}, FLEET, 2);
    ScheduleSpec all = spec("all", Task.KUBERNETES_DRIFT, "0 */5 * * * ?", ClusterTarget.ALL);
    ScheduleSpec prod =
        spec(
            "prod",
            Task.KUBERNETES_DRIFT,
            "30 */2 * * * ?",
            new ClusterTarget(List.of("prod-eu-1"), Map.of()));
    ScheduleSpec digest = spec("digest", Task.DIGEST, "0 0 9 * * ?", ClusterTarget.ALL);

    ReloadResult first = s.reload(List.of(all, prod, digest));
    assertThat(first.addedJobs()).hasSize(5);
    assertThat(first.addedTriggers()).hasSize(6);
    assertThat(s.jobs())
        .extracting(ScheduledJob::key)
        .containsExactly(
            "digest/_fleet",
            "kubernetes-drift/mgmt",
            "kubernetes-drift/prod-eu-1",
            "kubernetes-drift/prod-us-1",
            "kubernetes-drift/staging-1");
    assertThat(s.jobs().get(2).schedules()).containsExactly("all", "prod");
    Trigger before = s.quartz().getTrigger(TriggerKey.triggerKey("all/mgmt", "kubernetes-drift"));

    ReloadResult same = s.reload(List.of(all, prod, digest));
    assertThat(same.changed()).isFalse();
    assertThat(
            s.quartz()
                .getTrigger(TriggerKey.triggerKey("all/mgmt", "kubernetes-drift"))
                .getNextFireTime())
        .isEqualTo(before.getNextFireTime());

    ScheduleSpec faster =
        spec(
            "prod",
            Task.KUBERNETES_DRIFT,
            "0 * * * * ?",
            new ClusterTarget(List.of("prod-eu-1"), Map.of()));
    ReloadResult changed = s.reload(List.of(all, faster));
    assertThat(changed.updatedTriggers()).containsExactly("kubernetes-drift/prod/prod-eu-1");
    assertThat(changed.removedJobs()).containsExactly("digest/_fleet");
    assertThat(changed.addedJobs()).isEmpty();
    assertThat(
            ((CronTrigger)
                    s.quartz()
                        .getTrigger(TriggerKey.triggerKey("prod/prod-eu-1", "kubernetes-drift")))
                .getCronExpression())
        .isEqualTo("0 * * * * ?");
    assertThat(s.quartz().getTriggersOfJob(JobKey.jobKey("prod-eu-1", "kubernetes-drift")))
        .hasSize(2);

    ReloadResult dropProd = s.reload(List.of(all));
    assertThat(dropProd.removedTriggers()).containsExactly("kubernetes-drift/prod/prod-eu-1");
    assertThat(dropProd.removedJobs()).isEmpty();
    assertThat(s.quartz().getTriggersOfJob(JobKey.jobKey("prod-eu-1", "kubernetes-drift")))
        .hasSize(1);
    assertThat(
            s.quartz()
                .getJobDetail(JobKey.jobKey("prod-eu-1", "kubernetes-drift"))
                .requestsRecovery())
        .isTrue();

    assertThatThrownBy(() -> s.reload(List.of(all, all))).hasMessageContaining("unique");
  }

  @Test
  void misfirePolicyMapsToTheQuartzInstruction() throws Exception {
    FleetScheduler s = create((task, cluster) -> {}, FLEET, 1);
    s.reload(
        List.of(
            new ScheduleSpec(
                "a",
                Task.DIGEST,
                "0 0 9 * * ?",
                java.time.ZoneId.of("Europe/Berlin"),
                null,
                MisfirePolicy.DO_NOTHING,
                null,
                0),
            new ScheduleSpec(
                "b",
                Task.GIT_POLL,
                "0 * * * * ?",
                null,
                null,
                MisfirePolicy.IGNORE_MISFIRES,
                null,
                0)));
    CronTrigger a =
        (CronTrigger) s.quartz().getTrigger(TriggerKey.triggerKey("a/_fleet", "digest"));
    CronTrigger b =
        (CronTrigger) s.quartz().getTrigger(TriggerKey.triggerKey("b/_fleet", "git-poll"));
    assertThat(a.getMisfireInstruction()).isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
    assertThat(a.getTimeZone().getID()).isEqualTo("Europe/Berlin");
    assertThat(b.getMisfireInstruction())
        .isEqualTo(Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY);
  }

  @Test
  void aJobNeverRunsTwiceAtOnceButDifferentClustersDo() throws Exception {
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    Map<String, Integer> maxPerJob = new ConcurrentHashMap<>();
    AtomicInteger runningAll = new AtomicInteger();
    AtomicInteger maxAll = new AtomicInteger();
    List<String> runs = new CopyOnWriteArrayList<>();
    TaskRunner slow =
        (task, cluster) -> {
          String key = task + "/" + cluster;
          int now = running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          maxPerJob.merge(key, now, Math::max);
          maxAll.accumulateAndGet(runningAll.incrementAndGet(), Math::max);
          try {
            Thread.sleep(1500);
          } finally {
            runningAll.decrementAndGet();
            running.get(key).decrementAndGet();
            runs.add(key);
          }
        };
    ClusterDirectory two =
        () -> Map.of("a", Map.of("environment", "prod"), "b", Map.of("environment", "dev"));
    FleetScheduler s = create(slow, two, 6);
    // Two schedules firing every second on cluster a, one on b; every run takes 1.5 s.
    s.reload(
        List.of(
            spec("fast-1", Task.KUBERNETES_DRIFT, "* * * * * ?", ClusterTarget.ALL),
            spec(
                "fast-2",
                Task.KUBERNETES_DRIFT,
                "* * * * * ?",
                new ClusterTarget(List.of("a"), Map.of()))));
    s.start();
    Thread.sleep(5000);
    s.shutdown(Duration.ofSeconds(5));

    assertThat(runs).filteredOn(r -> r.endsWith("/a")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(maxPerJob)
        .containsEntry("kubernetes-drift/a", 1)
        .containsEntry("kubernetes-drift/b", 1);
    assertThat(maxAll.get()).as("a and b ran in parallel").isEqualTo(2);
  }

  @Test
  void runNowAndBoundedShutdownInterruptsALongJob() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    List<TaskFiring> firings = new CopyOnWriteArrayList<>();
    TaskRunner runner =
        new TaskRunner() {
          @Override
          public void run(String task, String cluster) {}

          @Override
          public void run(TaskFiring firing) {
            firings.add(firing);
            started.countDown();
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException e) {
              interrupted.countDown();
            }
          }
        };
    FleetScheduler s = create(runner, FLEET, 2);
    s.reload(List.of(spec("poll", Task.GIT_POLL, "0 0 0 1 1 ? 2099", ClusterTarget.ALL)));
    s.start();
    assertThat(s.runNow("git-poll", null)).isTrue();
    assertThat(s.runNow("kubernetes-drift", "prod-eu-1")).isFalse();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(firings.get(0).task()).isEqualTo("git-poll");
    assertThat(firings.get(0).cluster()).isNull();
    assertThat(firings.get(0).recovering()).isFalse();

    long t0 = System.nanoTime();
    s.shutdown(Duration.ofMillis(500));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(tookMs).isLessThan(5000);
    assertThat(s.quartz().isShutdown()).isTrue();
  }
}
