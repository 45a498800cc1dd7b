package dev.fleetwarden.deploy;

import static dev.fleetwarden.deploy.DeployFiles.ofKind;
import static dev.fleetwarden.deploy.DeployFiles.optional;
import static dev.fleetwarden.deploy.DeployFiles.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.app.Config;
import dev.fleetwarden.app.Setting;
import dev.fleetwarden.deploy.DeployFiles.ValueSet;
import dev.fleetwarden.kube.KubeconfigPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Helm chart rendered with helm-java for both value sets, checked object by object. */
class HelmChartTest {
  static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
  static final Set<String> WRITE_VERBS =
      Set.of(
          "create",
          "update",
          "patch",
          "delete",
          "deletecollection",
          "escalate",
          "bind",
          "impersonate",
          "*");
  static final List<String> PLATFORM_LABELS =
      List.of(
          "platform.myorg.io/team",
          "platform.myorg.io/environment",
          "platform.myorg.io/cost-center");
  static final Set<String> WORKLOAD_KINDS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod");

  /** The uid the Dockerfile creates its user with. */
  static final int IMAGE_UID = 10001;

  @TempDir Path tmp;

  static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  static List<JsonNode> containers(JsonNode podSpec) {
    List<JsonNode> out = new ArrayList<>();
    podSpec.path("initContainers").forEach(out::add);
    podSpec.path("containers").forEach(out::add);
    return out;
  }

  static JsonNode deployment(ValueSet set) {
    return single(DeployFiles.render(set), "Deployment");
  }

  static JsonNode mainContainer(ValueSet set) {
    return podSpec(deployment(set)).path("containers").get(0);
  }

  static String configYaml(ValueSet set) {
    return single(DeployFiles.render(set), "ConfigMap").path("data").path("config.yaml").asText();
  }

  Config config(ValueSet set) throws Exception {
    Path file = tmp.resolve("config-" + set + ".yaml");
    Files.writeString(file, configYaml(set));
    return Config.fromFile(file, Map.of());
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void rendersTheExpectedObjects(ValueSet set) {
    List<ObjectNode> objects = DeployFiles.render(set);
    Set<String> kinds = new HashSet<>();
    objects.forEach(o -> kinds.add(o.path("kind").asText()));
    assertThat(kinds)
        .contains(
            "Deployment",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Service",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "ConfigMap");
    for (ObjectNode o : objects) {
      assertThat(o.path("apiVersion").asText()).as(DeployFiles.id(o)).isNotEmpty();
      assertThat(o.path("metadata").path("name").asText()).as(DeployFiles.id(o)).isNotEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyWorkloadRunsHardened(ValueSet set) {
    List<ObjectNode> workloads =
        DeployFiles.render(set).stream()
            .filter(o -> WORKLOAD_KINDS.contains(o.path("kind").asText()))
            .toList();
    assertThat(workloads).isNotEmpty();
    for (ObjectNode w : workloads) {
      String id = DeployFiles.id(w);
      JsonNode pod = podSpec(w);
      JsonNode psc = pod.path("securityContext");
      assertThat(psc.path("runAsNonRoot").asBoolean()).as(id + " runAsNonRoot").isTrue();
      assertThat(psc.path("runAsUser").asInt()).as(id + " fixed uid").isEqualTo(IMAGE_UID);
      assertThat(psc.path("seccompProfile").path("type").asText())
          .as(id + " seccomp")
          .isEqualTo("RuntimeDefault");
      assertThat(pod.path("hostNetwork").asBoolean()).isFalse();
      assertThat(pod.path("hostPID").asBoolean()).isFalse();
      for (JsonNode c : containers(pod)) {
        String cid = id + " container " + c.path("name").asText();
        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(cid).isTrue();
        assertThat(sc.has("allowPrivilegeEscalation")).as(cid).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).as(cid).isFalse();
        assertThat(sc.path("privileged").asBoolean(false)).as(cid).isFalse();
        assertThat(sc.path("runAsNonRoot").asBoolean(true)).as(cid).isTrue();
        List<String> drop = new ArrayList<>();
        sc.path("capabilities").path("drop").forEach(d -> drop.add(d.asText()));
        assertThat(drop).as(cid + " drops").contains("ALL");
        assertThat(sc.path("capabilities").path("add").size()).as(cid + " adds").isZero();
        for (String kind : List.of("requests", "limits")) {
          JsonNode r = c.path("resources").path(kind);
          assertThat(r.path("cpu").asText()).as(cid + " " + kind + ".cpu").isNotEmpty();
          assertThat(r.path("memory").asText()).as(cid + " " + kind + ".memory").isNotEmpty();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void probesHitHealthAndReadinessWithAGenerousStartup(ValueSet set) {
    JsonNode c = mainContainer(set);
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    JsonNode startup = c.path("startupProbe");
    assertThat(startup.path("httpGet").path("path").asText()).isEqualTo("/healthz");
    int startupSeconds =
        startup.path("periodSeconds").asInt(10) * startup.path("failureThreshold").asInt(3);
    assertThat(startupSeconds).as("seconds the JVM gets to start").isGreaterThanOrEqualTo(180);
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      String port = c.path(probe).path("httpGet").path("port").asText();
      assertThat(containerPortNamed(c, port)).as(probe + " port " + port).isTrue();
    }
  }

  static boolean containerPortNamed(JsonNode container, String nameOrNumber) {
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(nameOrNumber)
          || p.path("containerPort").asText().equals(nameOrNumber)) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void theServiceRunsTheJarWithTheMountedConfig(ValueSet set) throws Exception {
    JsonNode c = mainContainer(set);
    assertThat(c.has("command")).as("the image's ENTRYPOINT runs the jar").isFalse();
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args.get(0)).isEqualTo("run");
    String configPath = args.get(args.indexOf("--config") + 1);
    String portArg = args.get(args.indexOf("--http-port") + 1);
    Config cfg = config(set);
    assertThat(portArg).isEqualTo(cfg.get(Setting.HTTP_PORT));
    assertThat(c.path("ports").get(0).path("containerPort").asText()).isEqualTo(portArg);

    JsonNode pod = podSpec(deployment(set));
    JsonNode configMount = mountCovering(c, configPath);
    assertThat(configMount).as("a volume mounted at " + configPath).isNotNull();
    JsonNode volume = volumeNamed(pod, configMount.path("name").asText());
    assertThat(volume.path("configMap").path("name").asText())
        .isEqualTo(
            single(DeployFiles.render(set), "ConfigMap").path("metadata").path("name").asText());
    String relative = configPath.substring(configMount.path("mountPath").asText().length() + 1);
    boolean mapped = false;
    for (JsonNode item : volume.path("configMap").path("items")) {
      mapped |=
          item.path("path").asText().equals(relative)
              && item.path("key").asText().equals("config.yaml");
    }
    assertThat(mapped).as("config.yaml mapped to " + configPath).isTrue();
  }

  static JsonNode mountCovering(JsonNode container, String path) {
    JsonNode best = null;
    for (JsonNode m : container.path("volumeMounts")) {
      String mp = m.path("mountPath").asText();
      if ((path.equals(mp) || path.startsWith(mp + "/"))
          && (best == null || mp.length() > best.path("mountPath").asText().length())) {
        best = m;
      }
    }
    return best;
  }

  static JsonNode volumeNamed(JsonNode podSpec, String name) {
    for (JsonNode v : podSpec.path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume named " + name);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyWritablePathIsAVolumeBecauseTheRootFilesystemIsReadOnly(ValueSet set) throws Exception {
    JsonNode c = mainContainer(set);
    JsonNode pod = podSpec(deployment(set));
    Map<String, String> env = new HashMap<>();
    c.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-Djava.io.tmpdir=/tmp");
    List<String> writable = new ArrayList<>();
    writable.add("/tmp");
    writable.add(env.get("HOME"));
    writable.add(env.get("XDG_CONFIG_HOME"));
    writable.add(config(set).get(Setting.WORK_DIR));
    var jna = Pattern.compile("-Djna.tmpdir=(\\S+)").matcher(env.get("JAVA_TOOL_OPTIONS"));
    if (jna.find()) {
      writable.add(jna.group(1));
    }
    for (String path : writable) {
      assertThat(path).as("writable path set").isNotBlank();
      JsonNode mount = mountCovering(c, path);
      assertThat(mount).as(path + " is on a volume").isNotNull();
      assertThat(mount.path("readOnly").asBoolean()).as(path + " writable").isFalse();
      JsonNode v = volumeNamed(pod, mount.path("name").asText());
      assertThat(v.has("emptyDir") || v.has("persistentVolumeClaim"))
          .as(path + " on an emptyDir or a PVC")
          .isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void rbacIsReadOnly(ValueSet set) {
    List<ObjectNode> objects = DeployFiles.render(set);
    List<ObjectNode> roles = new ArrayList<>(ofKind(objects, "ClusterRole"));
    roles.addAll(ofKind(objects, "Role"));
    assertThat(roles).isNotEmpty();
    for (ObjectNode role : roles) {
      assertThat(role.path("rules").size()).as(DeployFiles.id(role)).isPositive();
      for (JsonNode rule : role.path("rules")) {
        for (JsonNode verb : rule.path("verbs")) {
          assertThat(verb.asText())
              .as(DeployFiles.id(role) + " verb")
              .isIn(READ_VERBS)
              .isNotIn(WRITE_VERBS);
        }
        assertThat(rule.has("nonResourceURLs")).isFalse();
      }
    }
    String sa = single(objects, "ServiceAccount").path("metadata").path("name").asText();
    assertThat(podSpec(deployment(set)).path("serviceAccountName").asText()).isEqualTo(sa);
    List<ObjectNode> bindings = new ArrayList<>(ofKind(objects, "ClusterRoleBinding"));
    bindings.addAll(ofKind(objects, "RoleBinding"));
    for (ObjectNode b : bindings) {
      assertThat(b.path("subjects")).hasSize(1);
      assertThat(b.path("subjects").get(0).path("name").asText()).isEqualTo(sa);
      String ref =
          b.path("roleRef").path("kind").asText() + "/" + b.path("roleRef").path("name").asText();
      assertThat(
              roles.stream()
                  .map(
                      r ->
                          r.path("kind").asText() + "/" + r.path("metadata").path("name").asText()))
          .as("binding " + DeployFiles.id(b) + " refers to a rendered role")
          .contains(ref);
    }
  }

  @Test
  void kubeconfigSecretsAreGrantedByNameAndGetOnly() {
    List<ObjectNode> objects = DeployFiles.render(ValueSet.CLUSTERED);
    ObjectNode role = single(objects, "Role");
    assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("fleet-system");
    JsonNode rule = role.path("rules").get(0);
    assertThat(rule.path("resources").get(0).asText()).isEqualTo("secrets");
    assertThat(rule.path("verbs")).hasSize(1);
    assertThat(rule.path("verbs").get(0).asText()).isEqualTo("get");
    List<String> names = new ArrayList<>();
    rule.path("resourceNames").forEach(n -> names.add(n.asText()));
    assertThat(names)
        .contains("prod-eu-1-kubeconfig", "dev-1-kubeconfig")
        .allMatch(n -> n.endsWith("-kubeconfig"));
    assertThat(single(objects, "RoleBinding").path("metadata").path("namespace").asText())
        .isEqualTo("fleet-system");
  }

  @Test
  void withoutKubeconfigSecretNamesNoSecretAccessIsGrantedAtAll() {
    List<ObjectNode> objects = DeployFiles.render(ValueSet.SINGLE_NODE);
    assertThat(ofKind(objects, "Role")).isEmpty();
    assertThat(ofKind(objects, "RoleBinding")).isEmpty();
    for (ObjectNode role : ofKind(objects, "ClusterRole")) {
      for (JsonNode rule : role.path("rules")) {
        rule.path("verbs").forEach(v -> assertThat(v.asText()).isIn(READ_VERBS));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void theClusterRoleNamesItsKindsAndNeverGrantsSecrets(ValueSet set) {
    List<ObjectNode> roles = ofKind(DeployFiles.render(set), "ClusterRole");
    assertThat(roles).isNotEmpty();
    Set<String> granted = new HashSet<>();
    for (ObjectNode role : roles) {
      for (JsonNode rule : role.path("rules")) {
        rule.path("apiGroups")
            .forEach(
                g -> assertThat(g.asText()).as(DeployFiles.id(role) + " group").isNotEqualTo("*"));
        for (JsonNode r : rule.path("resources")) {
          assertThat(r.asText())
              .as(DeployFiles.id(role) + " resource")
              .isNotEqualTo("*")
              .isNotEqualTo("secrets")
              .doesNotStartWith("secrets/");
          rule.path("apiGroups").forEach(g -> granted.add(g.asText() + "/" + r.asText()));
        }
      }
    }
    // What the example fleet renders (and orphan detection lists), by group and resource.
    assertThat(granted)
        .contains(
            "/configmaps",
            "/namespaces",
            "/services",
            "/serviceaccounts",
            "apps/deployments",
            "apps/daemonsets",
            "policy/poddisruptionbudgets",
            "networking.k8s.io/networkpolicies",
            "rbac.authorization.k8s.io/rolebindings",
            "cert-manager.io/clusterissuers",
            "kyverno.io/clusterpolicies");
  }

  @Test
  void secretsOrEveryResourceInClusterReadRulesAreRefused() {
    for (String resource : List.of("secrets", "*")) {
      assertThatThrownBy(
              () ->
                  DeployFiles.render(
                      List.of(), Map.of("rbac.clusterReadRules[0].resources[0]", resource)))
          .as(resource)
          .hasMessageContaining("every Secret of the management cluster")
          .hasMessageContaining("rbac.managementClusterSecrets");
    }
  }

  @Test
  void secretsOfTheManagementClusterAreAnExplicitOptIn() {
    List<ObjectNode> objects =
        DeployFiles.render(List.of(), Map.of("rbac.managementClusterSecrets", true));
    List<String> verbs = new ArrayList<>();
    for (JsonNode rule : single(objects, "ClusterRole").path("rules")) {
      for (JsonNode r : rule.path("resources")) {
        if (r.asText().equals("secrets")) {
          rule.path("verbs").forEach(v -> verbs.add(v.asText()));
        }
      }
    }
    assertThat(verbs).containsExactlyInAnyOrder("get", "list", "watch");
  }

  @Test
  void theKubeconfigSecretAllowListIsRenderedFromTheRbacValues() throws Exception {
    ObjectNode role = single(DeployFiles.render(ValueSet.CLUSTERED), "Role");
    Config cfg = config(ValueSet.CLUSTERED);
    KubeconfigPolicy policy =
        KubeconfigPolicy.fromSettings(
            cfg.getBool(Setting.KUBE_ALLOW_EXEC_PLUGINS),
            cfg.get(Setting.KUBE_KUBECONFIG_SECRETS_NAMESPACE),
            cfg.get(Setting.KUBE_KUBECONFIG_SECRETS_NAMES),
            cfg.get(Setting.KUBE_KUBECONFIG_SECRETS_SELECTOR));
    String namespace = role.path("metadata").path("namespace").asText();
    Set<String> granted = new HashSet<>();
    role.path("rules")
        .get(0)
        .path("resourceNames")
        .forEach(n -> granted.add(namespace + "/" + n.asText()));
    assertThat(granted).hasSize(4);
    assertThat(policy.secrets()).as("the app reads exactly what RBAC grants").isEqualTo(granted);
    assertThat(policy.allowExecPlugins()).isFalse();
    assertThat(policy.selector()).isEmpty();

    Config single = config(ValueSet.SINGLE_NODE);
    assertThat(single.optional(Setting.KUBE_KUBECONFIG_SECRETS_NAMES)).isEmpty();
    assertThat(single.getBool(Setting.KUBE_ALLOW_EXEC_PLUGINS)).isFalse();
  }

  @Test
  void aWriteVerbInTheValuesIsRefused() {
    assertThatThrownBy(
            () ->
                DeployFiles.render(
                    List.of(),
                    Map.of(
                        "rbac.clusterReadRules[0].apiGroups[0]", "",
                        "rbac.clusterReadRules[0].resources[0]", "configmaps",
                        "rbac.clusterReadRules[0].verbs[0]", "patch")))
        .hasMessageContaining("get, list and watch");
  }

  @Test
  void severalReplicasWithoutPostgresqlAreRefused() {
    assertThatThrownBy(() -> DeployFiles.render(List.of(), Map.of("replicaCount", 3)))
        .hasMessageContaining("store.jdbcUrl");
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void secretsAreOnlyReferencedNeverRendered(ValueSet set) throws Exception {
    List<ObjectNode> objects = DeployFiles.render(set);
    assertThat(ofKind(objects, "Secret")).as("the chart renders no Secret").isEmpty();
    for (ObjectNode o : objects) {
      assertThat(o.toString())
          .doesNotContain("xoxb-")
          .doesNotContain("ghp_")
          .doesNotContain("github_pat_");
    }
    JsonNode c = mainContainer(set);
    for (JsonNode e : c.path("env")) {
      String name = e.path("name").asText();
      if (e.has("valueFrom")) {
        JsonNode from = e.path("valueFrom");
        assertThat(from.has("secretKeyRef") || from.has("fieldRef") || from.has("configMapKeyRef"))
            .as("env " + name)
            .isTrue();
      } else {
        assertThat(name.toUpperCase())
            .as("a literal env value must not be a secret")
            .doesNotContain("TOKEN", "PASSWORD", "SECRET");
      }
    }
    // every ...File key names a file on a Secret volume, under the key the volume maps
    JsonNode pod = podSpec(deployment(set));
    Config cfg = config(set);
    int secretFiles = 0;
    for (Setting s : Setting.values()) {
      boolean secretKey =
          s.key().endsWith("tokenFile")
              || s.key().endsWith("secretFile")
              || s.key().endsWith("passwordFile")
              || s.key().endsWith("sshKeyFile")
              || s.key().endsWith("credentialsFile")
              || s == Setting.KUBECONFIG;
      if (!secretKey || cfg.optional(s).isEmpty()) {
        continue;
      }
      secretFiles++;
      String file = cfg.get(s);
      JsonNode mount = mountCovering(c, file);
      assertThat(mount).as(s.key() + " " + file + " is mounted").isNotNull();
      assertThat(mount.path("readOnly").asBoolean()).as(s.key()).isTrue();
      JsonNode secret = volumeNamed(pod, mount.path("name").asText()).path("secret");
      assertThat(secret.path("secretName").asText()).as(s.key() + " from a Secret").isNotEmpty();
      String rel = file.substring(mount.path("mountPath").asText().length() + 1);
      List<String> paths = new ArrayList<>();
      secret.path("items").forEach(i -> paths.add(i.path("path").asText()));
      assertThat(paths).as(s.key()).contains(rel);
    }
    assertThat(secretFiles)
        .as("Slack, GitHub and webhook secrets are wired")
        .isGreaterThanOrEqualTo(3);
    if (set == ValueSet.CLUSTERED) {
      assertThat(cfg.get(Setting.HELM_CREDENTIALS_FILE))
          .as("chart repository credentials come from a Secret")
          .endsWith("/chart-credentials/credentials.yaml");
    }
    for (JsonNode v : pod.path("volumes")) {
      if (v.has("secret")) {
        assertThat(v.path("secret").has("data")).isFalse();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void workloadsCarryThePlatformLabelsTheAdmissionPolicyRequires(ValueSet set) {
    for (ObjectNode w : DeployFiles.render(set)) {
      if (!WORKLOAD_KINDS.contains(w.path("kind").asText())) {
        continue;
      }
      for (JsonNode labels :
          List.of(
              w.path("metadata").path("labels"),
              w.path("spec").path("template").path("metadata").path("labels"))) {
        for (String l : PLATFORM_LABELS) {
          assertThat(labels.path(l).asText()).as(DeployFiles.id(w) + " " + l).isNotBlank();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void configYamlUsesOnlyKnownKeys(ValueSet set) throws Exception {
    Config cfg = config(set); // rejects unknown keys
    assertThat(cfg.hasFile()).isTrue();
    assertThat(cfg.get(Setting.WORK_DIR)).startsWith("/");
    assertThat(cfg.get(Setting.SCHEDULES_DIR)).startsWith("/etc/fleetwarden/");
    assertThat(cfg.get(Setting.KUBE_EMBEDDED)).isEqualTo("false");
    // schedule files land in schedules.dir
    JsonNode c = mainContainer(set);
    JsonNode mount = mountCovering(c, cfg.get(Setting.SCHEDULES_DIR) + "/git-poll.yaml");
    assertThat(mount).isNotNull();
    // a key outside Setting would be caught, so the check above is meaningful
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, configYaml(set) + "\nsurprise:\n  key: 1\n");
    assertThatThrownBy(() -> Config.fromFile(bad, Map.of())).hasMessageContaining("surprise");
  }

  @Test
  void oneNodeKeepsItsEmbeddedDatabaseOnAVolumeClaimAndRecreates() throws Exception {
    List<ObjectNode> objects = DeployFiles.render(ValueSet.SINGLE_NODE);
    JsonNode d = single(objects, "Deployment");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(d.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
    Config cfg = config(ValueSet.SINGLE_NODE);
    assertThat(cfg.optional(Setting.STORE_JDBC_URL)).isEmpty();
    JsonNode mount = mountCovering(mainContainer(ValueSet.SINGLE_NODE), cfg.get(Setting.WORK_DIR));
    JsonNode v = volumeNamed(podSpec(d), mount.path("name").asText());
    String claim = v.path("persistentVolumeClaim").path("claimName").asText();
    assertThat(claim).isNotEmpty();
    assertThat(single(objects, "PersistentVolumeClaim").path("metadata").path("name").asText())
        .isEqualTo(claim);
    JsonNode pdb = single(objects, "PodDisruptionBudget").path("spec");
    assertThat(pdb.has("minAvailable")).as("one replica: a PDB must not block drains").isFalse();
    assertThat(pdb.path("maxUnavailable").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(optional(objects, "ServiceMonitor")).isEmpty();
  }

  @Test
  void severalNodesSharePostgresqlWithAPasswordFromASecret() throws Exception {
    List<ObjectNode> objects = DeployFiles.render(ValueSet.CLUSTERED);
    JsonNode d = single(objects, "Deployment");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(d.path("spec").path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
    Config cfg = config(ValueSet.CLUSTERED);
    assertThat(cfg.get(Setting.STORE_JDBC_URL)).startsWith("jdbc:postgresql://");
    assertThat(cfg.get(Setting.STORE_USERNAME)).isNotBlank();
    String pwFile = cfg.get(Setting.STORE_PASSWORD_FILE);
    JsonNode c = mainContainer(ValueSet.CLUSTERED);
    JsonNode pwVolume = volumeNamed(podSpec(d), mountCovering(c, pwFile).path("name").asText());
    assertThat(pwVolume.path("secret").path("secretName").asText())
        .isEqualTo("fleetwarden-database");
    JsonNode work =
        volumeNamed(podSpec(d), mountCovering(c, cfg.get(Setting.WORK_DIR)).path("name").asText());
    assertThat(work.has("emptyDir")).isTrue();
    assertThat(ofKind(objects, "PersistentVolumeClaim")).isEmpty();
    assertThat(single(objects, "PodDisruptionBudget").path("spec").path("minAvailable").asInt())
        .isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void selectorsMatchThePods(ValueSet set) {
    List<ObjectNode> objects = DeployFiles.render(set);
    JsonNode podLabels =
        deployment(set).path("spec").path("template").path("metadata").path("labels");
    List<JsonNode> selectors =
        List.of(
            deployment(set).path("spec").path("selector").path("matchLabels"),
            single(objects, "Service").path("spec").path("selector"),
            single(objects, "PodDisruptionBudget")
                .path("spec")
                .path("selector")
                .path("matchLabels"),
            single(objects, "NetworkPolicy").path("spec").path("podSelector").path("matchLabels"));
    for (JsonNode sel : selectors) {
      assertThat(sel.size()).isPositive();
      sel.fields()
          .forEachRemaining(
              e ->
                  assertThat(podLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
    }
    JsonNode svcPort = single(objects, "Service").path("spec").path("ports").get(0);
    assertThat(containerPortNamed(mainContainer(set), svcPort.path("targetPort").asText()))
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void networkPolicyAdmitsOnlyTheHttpPortAndNeededEgress(ValueSet set) throws Exception {
    JsonNode np = single(DeployFiles.render(set), "NetworkPolicy").path("spec");
    List<String> types = new ArrayList<>();
    np.path("policyTypes").forEach(t -> types.add(t.asText()));
    assertThat(types).containsExactlyInAnyOrder("Ingress", "Egress");
    String httpPort = config(set).get(Setting.HTTP_PORT);
    for (JsonNode rule : np.path("ingress")) {
      assertThat(rule.path("from").size()).as("ingress from named peers only").isPositive();
      assertThat(rule.path("ports")).hasSize(1);
      assertThat(rule.path("ports").get(0).path("port").asText()).isEqualTo(httpPort);
    }
    Set<String> egressPorts = new HashSet<>();
    for (JsonNode rule : np.path("egress")) {
      assertThat(rule.path("ports").size()).as("every egress rule names its ports").isPositive();
      rule.path("ports")
          .forEach(
              p -> egressPorts.add(p.path("protocol").asText() + "/" + p.path("port").asText()));
    }
    assertThat(egressPorts).contains("UDP/53", "TCP/53", "TCP/443");
    if (set == ValueSet.CLUSTERED) {
      assertThat(egressPorts).contains("TCP/5432");
    } else {
      assertThat(egressPorts).doesNotContain("TCP/5432");
    }
  }

  @Test
  void serviceMonitorScrapesMetricsWhenEnabled() {
    List<ObjectNode> objects = DeployFiles.render(ValueSet.CLUSTERED);
    ObjectNode sm = single(objects, "ServiceMonitor");
    assertThat(sm.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    JsonNode ep = sm.path("spec").path("endpoints").get(0);
    assertThat(ep.path("path").asText()).isEqualTo("/metrics");
    String svcPortName =
        single(objects, "Service").path("spec").path("ports").get(0).path("name").asText();
    assertThat(ep.path("port").asText()).isEqualTo(svcPortName);
    JsonNode svcLabels = single(objects, "Service").path("metadata").path("labels");
    sm.path("spec")
        .path("selector")
        .path("matchLabels")
        .fields()
        .forEachRemaining(
            e -> assertThat(svcLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
  }

  @Test
  void anApiTokenSecretProtectsTheApiAndTheServiceMonitorSendsIt() throws Exception {
    List<ObjectNode> objects =
        DeployFiles.render(
            List.of(),
            Map.of(
                "secrets.apiToken.existingSecret",
                "fleetwarden-api",
                "serviceMonitor.enabled",
                true));
    String configYaml = single(objects, "ConfigMap").path("data").path("config.yaml").asText();
    Path file = tmp.resolve("config-api-token.yaml");
    Files.writeString(file, configYaml);
    Config cfg = Config.fromFile(file, Map.of());
    String tokenFile = cfg.get(Setting.HTTP_TOKEN_FILE);
    assertThat(tokenFile).isNotBlank();
    JsonNode c = podSpec(single(objects, "Deployment")).path("containers").get(0);
    JsonNode mount = mountCovering(c, tokenFile);
    assertThat(mount).as("the token file is mounted").isNotNull();
    JsonNode volume =
        volumeNamed(podSpec(single(objects, "Deployment")), mount.path("name").asText());
    assertThat(volume.path("secret").path("secretName").asText()).isEqualTo("fleetwarden-api");
    JsonNode auth =
        single(objects, "ServiceMonitor")
            .path("spec")
            .path("endpoints")
            .get(0)
            .path("authorization");
    assertThat(auth.path("type").asText()).isEqualTo("Bearer");
    assertThat(auth.path("credentials").path("name").asText()).isEqualTo("fleetwarden-api");
    assertThat(auth.path("credentials").path("key").asText()).isEqualTo("token");
  }
}
