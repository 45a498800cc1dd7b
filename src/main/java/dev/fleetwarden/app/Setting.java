package dev.fleetwarden.app;

import java.util.Locale;

/**
 * Every configuration key of fleetwarden: its name in the YAML config file (dotted path), its
 * default, its environment variable and what it does. {@link Config} reads them once at startup.
 * Secrets are never values here: keys ending in {@code File} or {@code Env} name where the secret
 * is read from.
 */
public enum Setting {
  FLEET_REPO(
      "fleet.repo",
      "fleet-repo-example",
      "Fleet repo: a local directory, or a Git URL (https://, ssh://, git@host:path, file://) to clone."),
  FLEET_BRANCH("fleet.branch", "main", "Branch of the fleet repo to track."),
  FLEET_TOKEN_FILE("fleet.tokenFile", "", "File holding the HTTPS token for the fleet remote."),
  FLEET_TOKEN_ENV(
      "fleet.tokenEnv", "", "Environment variable holding the HTTPS token for the fleet remote."),
  FLEET_SSH_KEY_FILE("fleet.sshKeyFile", "", "Private key file for SSH fleet remotes."),
  FLEET_KNOWN_HOSTS_FILE("fleet.knownHostsFile", "", "known_hosts file for SSH fleet remotes."),
  WORK_DIR(
      "workDir",
      ".fleetwarden",
      "Working directory: fleet clone, Terraform work dirs, embedded database, previous renders,"
          + " the chart cache (charts/)."),
  KUBECONFIG(
      "kube.kubeconfig",
      "",
      "Kubeconfig for kubeconfig-context clusters (default: KUBECONFIG, then ~/.kube/config). Empty"
          + " with no config file: embedded clusters."),
  KUBE_EMBEDDED(
      "kube.embedded",
      "auto",
      "Embedded in-process API servers for the example clusters: true, false, or auto (only when no"
          + " config file is given)."),
  KUBE_REQUEST_TIMEOUT(
      "kube.requestTimeoutSeconds", "10", "Timeout of one Kubernetes API request."),
  KUBE_PARALLELISM("kube.parallelism", "4", "Clusters read at the same time."),
  KUBE_ALLOW_EXEC_PLUGINS(
      "kube.allowExecPlugins",
      "false",
      "Let kubeconfigs run exec credential plugins, use auth-providers and name local files"
          + " (tokenFile, client-certificate, client-key, certificate-authority). false: only"
          + " inline credentials (token, *-data) are accepted."),
  KUBE_KUBECONFIG_SECRETS_NAMESPACE(
      "kube.kubeconfigSecrets.namespace",
      "",
      "Namespace of the management cluster's kubeconfig Secrets: for names without a namespace"
          + " and for the selector."),
  KUBE_KUBECONFIG_SECRETS_NAMES(
      "kube.kubeconfigSecrets.names",
      "",
      "Kubeconfig Secrets a kubeconfig-secret connection may name, comma-separated, each name or"
          + " namespace/name. Any other secretRef is refused without reading it."),
  KUBE_KUBECONFIG_SECRETS_SELECTOR(
      "kube.kubeconfigSecrets.selector",
      "",
      "Also allow Secrets of kube.kubeconfigSecrets.namespace carrying these labels"
          + " (key=value,...); needs list on Secrets there."),
  WATCH_ENABLED(
      "watch.enabled",
      "true",
      "Detect live changes within seconds through watches on every cluster (list and watch on the"
          + " desired kinds); false: scheduled scans only."),
  WATCH_COALESCE_MILLIS(
      "watch.coalesceMillis",
      "1000",
      "An object is judged once it had no event for this long: a burst of edits is one verdict, an"
          + " edit reverted within it none (an object edited without pause is judged after 10 s)."),
  WATCH_FULL_SCAN_MINUTES(
      "watch.fullScanMinutes",
      "15",
      "Safety net: a watched cluster's scheduled kubernetes-drift scan runs when its last full scan"
          + " is older than this; clusters that cannot be watched are scanned on every firing."),
  TERRAFORM_ENABLED(
      "terraform.enabled",
      "auto",
      "Check cloud drift with terraform plan: true, false, or auto (only with a config file)."),
  TERRAFORM_AWS_ENDPOINT(
      "terraform.awsEndpoint",
      "",
      "One endpoint for every AWS service (an emulator such as moto); empty: real AWS.",
      "FLEETWARDEN_AWS_ENDPOINT"),
  TERRAFORM_BINARY(
      "terraform.binary",
      "",
      "terraform or tofu binary (default: found on PATH, terraform first)."),
  TERRAFORM_PLUGIN_MIRROR(
      "terraform.pluginMirror",
      "",
      "Filesystem mirror of Terraform providers (the folder holding registry.terraform.io).",
      "FLEETWARDEN_TERRAFORM_PLUGIN_MIRROR"),
  TERRAFORM_TIMEOUT(
      "terraform.timeoutSeconds",
      "600",
      "Timeout of one terraform step.",
      "FLEETWARDEN_TERRAFORM_STEP_TIMEOUT"),
  TERRAFORM_PARALLELISM("terraform.parallelism", "2", "Clusters planned at the same time."),
  HELM_ALLOWED_REPOSITORIES(
      "helm.allowedRepositories",
      "",
      "Chart repositories and OCI registries add-ons may name, comma-separated URL prefixes"
          + " (https://charts.example.org/team, oci://ghcr.io/myorg/charts). A chart source or"
          + " redirect outside them is refused. Empty: none (vendored charts only)."),
  HELM_CREDENTIALS_FILE(
      "helm.credentialsFile",
      "",
      "YAML file of credentials for private chart repositories and registries: a list of url,"
          + " username with password/passwordFile/passwordEnv, or token/tokenFile/tokenEnv."),
  HELM_FETCH_TIMEOUT(
      "helm.fetchTimeoutSeconds",
      "60",
      "Timeout of one request to a chart repository or registry, body included."),
  HELM_EXAMPLE_REPOSITORY(
      "helm.exampleRepository",
      "auto",
      "Serve the example fleet's chart repository (https://charts.example.org/platform) from"
          + " fleetwarden itself on 127.0.0.1 and allow it: true, false, or auto (on the embedded"
          + " defaults, no config file or kube.embedded, when helm.allowedRepositories is empty)."),
  STORE_JDBC_URL(
      "store.jdbcUrl",
      "",
      "JDBC URL of the store (PostgreSQL for several nodes). Empty: embedded H2 file in workDir."),
  STORE_USERNAME("store.username", "", "Database user."),
  STORE_PASSWORD_FILE("store.passwordFile", "", "File holding the database password."),
  STORE_PASSWORD_ENV(
      "store.passwordEnv", "", "Environment variable holding the database password."),
  HTTP_PORT(
      "http.port", "8080", "Port of /healthz, /readyz, /metrics, the status API and webhooks."),
  HTTP_BIND_ADDRESS(
      "http.bindAddress",
      "0.0.0.0",
      "Address the HTTP port listens on: 0.0.0.0 every interface, 127.0.0.1 this host only."),
  HTTP_TOKEN_FILE(
      "http.tokenFile",
      "",
      "File holding the bearer token /api/v1/* and /metrics require (none set: no token needed)."),
  HTTP_TOKEN_ENV(
      "http.tokenEnv",
      "",
      "Environment variable holding the bearer token /api/v1/* and /metrics require."),
  HTTP_HEADER_TIMEOUT(
      "http.headerTimeoutSeconds",
      "10",
      "Time a client has to send its request headers; slower connections are closed."),
  HTTP_BODY_TIMEOUT(
      "http.bodyTimeoutSeconds",
      "30",
      "Time a client has to send a request body and to take the answer; slower ones get 408."),
  WEBHOOK_SECRET_FILE(
      "webhook.secretFile", "", "File holding the GitHub webhook secret (X-Hub-Signature-256)."),
  WEBHOOK_SECRET_ENV(
      "webhook.secretEnv", "", "Environment variable holding the GitHub webhook secret."),
  SCHEDULES_DIR("schedules.dir", "schedules", "Directory of schedule files (*.yaml)."),
  SLACK_TOKEN_FILE("slack.tokenFile", "", "File holding the Slack bot token (xoxb-...)."),
  SLACK_TOKEN_ENV("slack.tokenEnv", "", "Environment variable holding the Slack bot token."),
  SLACK_URL("slack.url", "https://slack.com", "Slack base URL (the Web API is under /api/)."),
  SLACK_FALLBACK_CHANNEL(
      "slack.fallbackChannel",
      "",
      "Channel for drift no route of fleet.yaml matches (empty: none)."),
  SLACK_REMINDER_HOURS(
      "slack.reminderHours", "0", "Remind in the alert's thread after this many hours (0: never)."),
  GITHUB_TOKEN_FILE("github.tokenFile", "", "File holding the GitHub token for remediation PRs."),
  GITHUB_TOKEN_ENV("github.tokenEnv", "", "Environment variable holding the GitHub token."),
  GITHUB_API_URL(
      "github.apiUrl",
      "https://api.github.com",
      "GitHub API URL (GitHub Enterprise: https://HOST/api/v3)."),
  IGNORE_RULE_MIN_CLUSTERS(
      "remediation.ignoreRuleMinClusters",
      "3",
      "A drift this many clusters share (or all clusters running its add-on, when fewer do),"
          + " written only by controllers, gets a pull request adding a drift.ignore rule to the"
          + " add-on instead of one adopting the live values. 0: never."),
  PREVIEW_ENABLED(
      "preview.enabled",
      "true",
      "Preview fleet pull requests on GitHub pull_request webhooks (one comment and the check run"
          + " fleetwarden/preview) when a webhook secret, a GitHub token and fleet.yaml's"
          + " pullRequests.repository are set."),
  LOG_FORMAT("log.format", "text", "Log format: text or json."),
  LOG_LEVEL("log.level", "info", "Log level of fleetwarden's own loggers in the service.");

  private final String key;
  private final String defaultValue;
  private final String description;
  private final String env;

  Setting(String key, String defaultValue, String description) {
    this(key, defaultValue, description, null);
  }

  Setting(String key, String defaultValue, String description, String env) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.env =
        env != null
            ? env
            : "FLEETWARDEN_"
                + key.replaceAll("([a-z])([A-Z])", "$1_$2")
                    .replace('.', '_')
                    .toUpperCase(Locale.ROOT);
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public String env() {
    return env;
  }
}
