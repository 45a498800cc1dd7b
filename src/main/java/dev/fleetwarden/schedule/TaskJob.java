package dev.fleetwarden.schedule;

import dev.fleetwarden.reconcile.TaskFiring;
import dev.fleetwarden.reconcile.TaskRunner;
import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Quartz job behind every schedule: hands the firing to the {@link TaskRunner} found in the
 * scheduler context. Never concurrent per job (task and cluster).
 */
@DisallowConcurrentExecution
public final class TaskJob implements InterruptableJob {
  static final String TASK = "task";
  static final String CLUSTER = "cluster";
  static final String SCHEDULE = "schedule";

  private static final Logger LOG = LoggerFactory.getLogger(TaskJob.class);

  private volatile Thread worker;

  @Override
  public void execute(JobExecutionContext ctx) throws JobExecutionException {
    JobDataMap data = ctx.getMergedJobDataMap();
    String task = data.getString(TASK);
    String cluster = data.getString(CLUSTER);
    TaskRunner runner;
    String node;
    try {
      runner = (TaskRunner) ctx.getScheduler().getContext().get(FleetScheduler.CONTEXT_RUNNER);
      node = ctx.getScheduler().getSchedulerInstanceId();
    } catch (SchedulerException e) {
      throw new JobExecutionException("scheduler context unavailable", e, false);
    }
    Instant scheduled =
        ctx.getScheduledFireTime() == null
            ? ctx.getFireTime().toInstant()
            : ctx.getScheduledFireTime().toInstant();
    if (ctx.isRecovering()) {
      String original =
          data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
      if (original != null) {
        scheduled = Instant.ofEpochMilli(Long.parseLong(original));
      }
    }
    TaskFiring firing =
        new TaskFiring(
            task,
            cluster,
            scheduled,
            ctx.getFireTime().toInstant(),
            ctx.isRecovering(),
            node,
            ctx.getFireInstanceId(),
            data.getString(SCHEDULE));
    worker = Thread.currentThread();
    MDC.put("task", task);
    if (cluster != null) {
      MDC.put("cluster", cluster);
    }
    try {
      runner.run(firing);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.info("{} {} interrupted", task, cluster == null ? "(fleet)" : cluster);
    } catch (Exception e) {
      LOG.warn("{} {} failed: {}", task, cluster == null ? "(fleet)" : cluster, e.toString());
      throw new JobExecutionException(e, false);
    } finally {
      worker = null;
      MDC.remove("task");
      MDC.remove("cluster");
    }
  }

  @Override
  public void interrupt() {
    Thread t = worker;
    if (t != null) {
      t.interrupt();
    }
  }
}
