package dev.fleetwarden.model;

import java.util.List;

/** Strings that YAML 1.1 readers take for other types, and strings they keep: shared tables. */
public final class TrickyYamlStrings {
  private TrickyYamlStrings() {}

  /** Each of these, written plain, is read as a number, boolean, null, timestamp or key type. */
  public static final List<String> OTHER_TYPES =
      List.of(
          // numbers in every YAML 1.1 form, and YAML 1.2 / Go octal and underscores
          "1e3",
          "1E3",
          "1.0e+3",
          "-1e-3",
          "0x1F",
          "0X1f",
          "0o17",
          "017",
          "08",
          "1_000",
          "0b101",
          ".5",
          "1.",
          "-.5",
          "+1",
          "-1",
          "0",
          "3.14",
          "1.2.3",
          "10.0.0.1",
          ".inf",
          "-.Inf",
          "+.INF",
          ".nan",
          ".NaN",
          // booleans and their 1.1 spellings, any case
          "yes",
          "Yes",
          "YES",
          "yEs",
          "no",
          "NO",
          "on",
          "On",
          "off",
          "OFF",
          "y",
          "Y",
          "n",
          "N",
          "true",
          "True",
          "FALSE",
          // null
          "~",
          "null",
          "Null",
          "NULL",
          "nULL",
          "",
          // base 60
          "12:30",
          "1:20:30",
          "-1:20",
          "190:20:30.15",
          "0:0",
          // timestamps
          "2001-12-14",
          "2001-12-14t21:59:43.10-05:00",
          "2001-12-14T21:59:43Z",
          "2001-12-14 21:59:43.10 -5",
          "2001-1-4",
          // merge and value keys
          "<<",
          "=");

  /** Written plain, each of these reads back as the same string. */
  public static final List<String> STRINGS =
      List.of(
          "nginx",
          "v1.11.2",
          "500m",
          "1Gi",
          "cc-2100",
          "12:60",
          "1.2.3-rc1",
          "0xZZ",
          "1e",
          "e3",
          "nope",
          "onn",
          "yesno",
          "+",
          "-",
          "https://example.org/a",
          "*:* & !*:latest",
          "2001-12-14x",
          "<<<",
          "==");
}
