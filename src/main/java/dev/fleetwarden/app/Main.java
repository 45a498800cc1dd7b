package dev.fleetwarden.app;

public final class Main {
  public static void main(String[] args) {
    System.out.println("fleetwarden");
  }
}
