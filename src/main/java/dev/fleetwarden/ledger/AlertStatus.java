package dev.fleetwarden.ledger;

/** Whether an alert message currently shows an open drift or a resolved one. */
public enum AlertStatus {
  OPEN,
  RESOLVED
}
