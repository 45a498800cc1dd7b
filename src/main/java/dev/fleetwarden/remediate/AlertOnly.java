package dev.fleetwarden.remediate;

/** No pull request for this drift; the alert stands alone. {@code reason} says why. */
public record AlertOnly(String reason) implements RemediationPlan {}
