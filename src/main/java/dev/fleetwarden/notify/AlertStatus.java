package dev.fleetwarden.notify;

/** Whether an alert message currently shows an open drift or a resolved one. */
public enum AlertStatus {
  OPEN,
  RESOLVED
}
