package dev.fleetwarden.schedule;

import dev.fleetwarden.reconcile.TaskRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schedules over Quartz: one job per task and target cluster, calling the {@link
 * TaskRunner}. In memory for one node, or on the clustered JDBC job store (PostgreSQL) where each
 * firing runs on exactly one node and a killed node's running jobs are recovered by another.
 * Thread-safe.
 */
public final class FleetScheduler implements AutoCloseable {
  /** Key of the {@link TaskRunner} in the Quartz scheduler context. */
  static final String CONTEXT_RUNNER = "fleetwarden.taskRunner";

  /** How long {@link #close()} waits for running jobs before interrupting them. */
  public static final Duration DEFAULT_SHUTDOWN_BOUND = Duration.ofSeconds(8);

  private static final Logger LOG = LoggerFactory.getLogger(FleetScheduler.class);
  private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

  private final Scheduler scheduler;
  private final ClusterDirectory clusters;
  private final SchedulerConfig config;

  private FleetScheduler(Scheduler scheduler, ClusterDirectory clusters, SchedulerConfig config) {
    this.scheduler = scheduler;
    this.clusters = clusters;
    this.config = config;
  }

  /**
   * Creates a scheduler (not started). With a clustered config the job store tables must exist
   * (they are part of the store's migrations: open {@code JdbcStore} first).
   */
  public static FleetScheduler create(
      SchedulerConfig config, TaskRunner runner, ClusterDirectory clusters)
      throws SchedulerException {
    Scheduler s = new StdSchedulerFactory(quartzProperties(config)).getScheduler();
    s.getContext().put(CONTEXT_RUNNER, runner);
    return new FleetScheduler(s, clusters, config);
  }

  /** The Quartz properties for a config (visible for the wiring's diagnostics). */
  static Properties quartzProperties(SchedulerConfig config) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", config.instanceName());
    p.setProperty(
        "org.quartz.scheduler.instanceId",
        config.instanceId() == null ? "AUTO" : config.instanceId());
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.scheduler.interruptJobsOnShutdownWithWait", "false");
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(config.threads()));
    p.setProperty("org.quartz.threadPool.threadNamePrefix", config.instanceName() + "-worker");
    p.setProperty(
        "org.quartz.jobStore.misfireThreshold",
        Long.toString(config.misfireThreshold().toMillis()));
    if (!config.isClustered()) {
      p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      return p;
    }
    String ds =
        "fw_"
            + config.instanceName().replaceAll("[^A-Za-z0-9]", "_")
            + "_"
            + DATA_SOURCES.incrementAndGet();
    var db = config.database();
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        db.isPostgres()
            ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
            : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", ds);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    p.setProperty(
        "org.quartz.jobStore.clusterCheckinInterval",
        Long.toString(config.clusterCheckinInterval().toMillis()));
    String prefix = "org.quartz.dataSource." + ds + ".";
    p.setProperty(prefix + "provider", "hikaricp");
    p.setProperty(prefix + "driver", db.driverClassName());
    p.setProperty(prefix + "URL", db.jdbcUrl());
    if (db.user() != null) {
      p.setProperty(prefix + "user", db.user());
    }
    if (db.password() != null) {
      p.setProperty(prefix + "password", db.password());
    }
    p.setProperty(prefix + "maxConnections", Integer.toString(config.threads() + 3));
    return p;
  }

  /** Starts firing. */
  public void start() throws SchedulerException {
    scheduler.start();
    LOG.info(
        "scheduler {} started as {} ({})",
        config.instanceName(),
        scheduler.getSchedulerInstanceId(),
        config.isClustered() ? "clustered JDBC job store" : "in memory");
  }

  /** This node's id in the Quartz cluster. */
  public String instanceId() {
    try {
      return scheduler.getSchedulerInstanceId();
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes the scheduled jobs match {@code schedules} for the current clusters: adds what is
   * missing, reschedules triggers whose cron, time zone or misfire policy changed, removes jobs and
   * triggers no schedule asks for. Unchanged triggers keep their next fire time. Safe to call on
   * every node of a cluster at the same time.
   */
  public synchronized ReloadResult reload(List<ScheduleSpec> schedules) throws SchedulerException {
    Set<String> names = new HashSet<>();
    for (ScheduleSpec s : schedules) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException(
            "two schedules are named '" + s.name() + "'; schedule names must be unique");
      }
    }
    JobPlan plan = JobPlan.of(schedules, clusters);
    Map<JobKey, JobPlan.PlannedTrigger> wantedJobs = new HashMap<>();
    Map<TriggerKey, JobPlan.PlannedTrigger> wantedTriggers = new HashMap<>();
    for (JobPlan.PlannedTrigger t : plan.triggers()) {
      wantedJobs.putIfAbsent(JobKey.jobKey(t.jobName(), t.jobGroup()), t);
      wantedTriggers.put(TriggerKey.triggerKey(t.triggerName(), t.jobGroup()), t);
    }
    List<String> addedJobs = new ArrayList<>();
    List<String> removedJobs = new ArrayList<>();
    List<String> addedTriggers = new ArrayList<>();
    List<String> updatedTriggers = new ArrayList<>();
    List<String> removedTriggers = new ArrayList<>();

    for (Task task : Task.values()) {
      for (TriggerKey tk :
          scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(task.label()))) {
        if (!wantedTriggers.containsKey(tk) && scheduler.unscheduleJob(tk)) {
          removedTriggers.add(tk.getGroup() + "/" + tk.getName());
        }
      }
      for (JobKey jk : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(task.label()))) {
        if (!wantedJobs.containsKey(jk) && scheduler.deleteJob(jk)) {
          removedJobs.add(jk.getGroup() + "/" + jk.getName());
        }
      }
    }
    for (Map.Entry<JobKey, JobPlan.PlannedTrigger> e : wantedJobs.entrySet()) {
      if (scheduler.checkExists(e.getKey())) {
        continue;
      }
      try {
        scheduler.addJob(jobDetail(e.getKey(), e.getValue()), false);
        addedJobs.add(e.getKey().getGroup() + "/" + e.getKey().getName());
      } catch (ObjectAlreadyExistsException raced) {
        // Another node added it between our check and our add: same definition, nothing to do.
      }
    }
    for (Map.Entry<TriggerKey, JobPlan.PlannedTrigger> e : wantedTriggers.entrySet()) {
      TriggerKey key = e.getKey();
      JobPlan.PlannedTrigger planned = e.getValue();
      String label = key.getGroup() + "/" + key.getName();
      Trigger existing = scheduler.getTrigger(key);
      if (existing == null) {
        try {
          scheduler.scheduleJob(trigger(key, planned));
          addedTriggers.add(label);
        } catch (ObjectAlreadyExistsException raced) {
          // Added concurrently by another node.
        }
      } else if (!sameTrigger(existing, planned)) {
        scheduler.rescheduleJob(key, trigger(key, planned));
        updatedTriggers.add(label);
      }
    }
    for (String unknown : plan.unknownClusters()) {
      LOG.warn("a schedule names cluster {} which the fleet does not define; skipped", unknown);
    }
    ReloadResult result =
        new ReloadResult(
            sorted(addedJobs),
            sorted(removedJobs),
            sorted(addedTriggers),
            sorted(updatedTriggers),
            sorted(removedTriggers),
            plan.unknownClusters());
    if (result.changed()) {
      LOG.info("schedules reloaded: {}", result);
    }
    return result;
  }

  /** The jobs currently scheduled, ordered by key. */
  public List<ScheduledJob> jobs() throws SchedulerException {
    List<ScheduledJob> out = new ArrayList<>();
    for (Task task : Task.values()) {
      for (JobKey jk : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(task.label()))) {
        List<String> schedules = new ArrayList<>();
        Instant next = null;
        for (Trigger t : scheduler.getTriggersOfJob(jk)) {
          String s = t.getJobDataMap().getString(TaskJob.SCHEDULE);
          if (s != null) {
            schedules.add(s);
          }
          if (t.getNextFireTime() != null) {
            Instant n = t.getNextFireTime().toInstant();
            next = next == null || n.isBefore(next) ? n : next;
          }
        }
        schedules.sort(null);
        String cluster = JobPlan.FLEET.equals(jk.getName()) ? null : jk.getName();
        out.add(new ScheduledJob(task.label(), cluster, List.copyOf(schedules), next));
      }
    }
    out.sort(Comparator.comparing(ScheduledJob::key));
    return out;
  }

  /**
   * Runs a task now (e.g. git-poll on a push webhook), unless it is already running; {@code
   * cluster} null for fleet-wide tasks.
   *
   * @return false when no such job is scheduled
   */
  public boolean runNow(String task, String cluster) throws SchedulerException {
    JobKey key = JobKey.jobKey(cluster == null ? JobPlan.FLEET : cluster, task);
    if (!scheduler.checkExists(key)) {
      return false;
    }
    scheduler.triggerJob(key);
    return true;
  }

  /**
   * Stops firing, waits up to {@code bound} for running jobs to finish, then interrupts them and
   * returns (bounded so SIGTERM completes in time). Idempotent.
   */
  public void shutdown(Duration bound) {
    try {
      if (scheduler.isShutdown()) {
        return;
      }
      scheduler.standby();
    } catch (SchedulerException e) {
      LOG.warn("scheduler standby failed: {}", e.toString());
    }
    Thread waiter =
        new Thread(
            () -> {
              try {
                scheduler.shutdown(true);
              } catch (SchedulerException e) {
                LOG.warn("scheduler shutdown failed: {}", e.toString());
              }
            },
            config.instanceName() + "-shutdown");
    waiter.setDaemon(true);
    waiter.start();
    try {
      waiter.join(Math.max(1, bound.toMillis()));
      if (waiter.isAlive()) {
        List<JobExecutionContext> running = scheduler.getCurrentlyExecutingJobs();
        LOG.warn("{} job(s) still running after {}; interrupting them", running.size(), bound);
        for (JobExecutionContext ctx : running) {
          scheduler.interrupt(ctx.getFireInstanceId());
        }
        waiter.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SchedulerException e) {
      LOG.warn("cannot interrupt running jobs: {}", e.toString());
    }
  }

  /** {@link #shutdown(Duration)} with {@link #DEFAULT_SHUTDOWN_BOUND}. */
  @Override
  public void close() {
    shutdown(DEFAULT_SHUTDOWN_BOUND);
  }

  /** The underlying Quartz scheduler (for tests and diagnostics). */
  Scheduler quartz() {
    return scheduler;
  }

  private static JobDetail jobDetail(JobKey key, JobPlan.PlannedTrigger t) {
    JobBuilder b =
        JobBuilder.newJob(TaskJob.class)
            .withIdentity(key)
            .withDescription(
                t.schedule().task().label() + (t.cluster() == null ? "" : " " + t.cluster()))
            .storeDurably(true)
            .requestRecovery(true)
            .usingJobData(TaskJob.TASK, t.schedule().task().label());
    if (t.cluster() != null) {
      b.usingJobData(TaskJob.CLUSTER, t.cluster());
    }
    return b.build();
  }

  private static Trigger trigger(TriggerKey key, JobPlan.PlannedTrigger t) {
    ScheduleSpec s = t.schedule();
    CronScheduleBuilder cron =
        CronScheduleBuilder.cronSchedule(s.cron()).inTimeZone(TimeZone.getTimeZone(s.timeZone()));
    cron =
        switch (s.misfirePolicy()) {
          case FIRE_ONCE_NOW -> cron.withMisfireHandlingInstructionFireAndProceed();
          case DO_NOTHING -> cron.withMisfireHandlingInstructionDoNothing();
          case IGNORE_MISFIRES -> cron.withMisfireHandlingInstructionIgnoreMisfires();
        };
    return TriggerBuilder.newTrigger()
        .withIdentity(key)
        .forJob(JobKey.jobKey(t.jobName(), t.jobGroup()))
        .usingJobData(TaskJob.SCHEDULE, s.name())
        .withSchedule(cron)
        .build();
  }

  private static boolean sameTrigger(Trigger existing, JobPlan.PlannedTrigger planned) {
    if (!(existing instanceof CronTrigger ct)) {
      return false;
    }
    CronTrigger wanted = (CronTrigger) trigger(existing.getKey(), planned);
    return ct.getCronExpression().equals(wanted.getCronExpression())
        && ct.getTimeZone().getID().equals(wanted.getTimeZone().getID())
        && ct.getMisfireInstruction() == wanted.getMisfireInstruction()
        && ct.getJobKey().equals(wanted.getJobKey())
        && planned.schedule().name().equals(ct.getJobDataMap().getString(TaskJob.SCHEDULE));
  }

  private static List<String> sorted(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    copy.sort(null);
    return List.copyOf(copy);
  }
}
