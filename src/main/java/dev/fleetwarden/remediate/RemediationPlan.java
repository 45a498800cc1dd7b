package dev.fleetwarden.remediate;

/**
 * What the planner decided for one drift: a {@link ChangeSet} to propose as a pull request, or
 * {@link AlertOnly} with the reason no pull request is made.
 */
public sealed interface RemediationPlan permits ChangeSet, AlertOnly {}
