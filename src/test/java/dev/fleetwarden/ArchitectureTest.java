package dev.fleetwarden;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.fleetwarden.model.ResourceId;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The house, checked on the production classes (test code may cross floors): arrows point down
 * only, {@code app} → {@code schedule} → {@code reconcile} / {@code server} → stages → the bottom
 * floor. Stages never import each other, {@code demo} is for {@code app} alone, and the pure
 * packages reach no external system.
 */
class ArchitectureTest {
  private static final String BASE = "dev.fleetwarden";

  /** One floor each; a stage may use the bottom floor, never another stage. */
  private static final List<String> STAGES =
      List.of(
          "charts",
          "render",
          "kube",
          "terraform",
          "drift",
          "report",
          "preview",
          "notify",
          "remediate",
          "store");

  /** Imports nothing above itself; {@code ledger} may not exist yet. */
  private static final List<String> BOTTOM_FLOOR =
      List.of("model", "ledger", "fleet", "git", "cdktf", "watch");

  /** Data in, data out: no database, cluster, Git, Slack, scheduler, HTTP or child process. */
  private static final List<String> PURE =
      List.of("model", "ledger", "fleet", "drift", "report", "preview", "watch");

  /** The libraries and JDK classes that talk to the outside world (files aside). */
  private static final DescribedPredicate<JavaClass> IO =
      resideInAnyPackage(
              "java.sql..",
              "javax.sql..",
              "java.net.http..",
              "com.sun.net.httpserver..",
              "io.fabric8..",
              "org.eclipse.jgit..",
              "com.slack.api..",
              "org.kohsuke.github..",
              "org.quartz..",
              "io.vertx..",
              "com.zaxxer.hikari..",
              "org.flywaydb..",
              "org.postgresql..",
              "org.h2..",
              "com.marcnuri.helm..",
              "com.hashicorp.cdktf..",
              "software.amazon.jsii..")
          .or(
              resideInAPackage("java.net")
                  .and(
                      not(
                          belongToAnyOf(
                              URI.class,
                              URISyntaxException.class,
                              URLEncoder.class,
                              URLDecoder.class))))
          .or(belongToAnyOf(ProcessBuilder.class, Process.class, ProcessHandle.class))
          .as(
              "belong to an I/O library (JDBC, Fabric8, JGit, Slack, GitHub, Quartz, Vert.x, HTTP, sockets)"
                  + " or start a child process");

  /**
   * The production classes, read from where the build put them (found through one of them):
   * importing by package name would scan every jar on the test class path.
   */
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importLocations(
              Set.of(
                  Location.of(
                      ResourceId.class.getProtectionDomain().getCodeSource().getLocation())));

  @Test
  void layersPointDownwardOnly() {
    LayeredArchitecture house =
        Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("app")
            .definedBy(BASE + ".app..")
            .layer("schedule")
            .definedBy(BASE + ".schedule..")
            .layer("reconcile")
            .definedBy(BASE + ".reconcile..")
            .layer("server")
            .definedBy(BASE + ".server..")
            .layer("demo")
            .definedBy(BASE + ".demo..")
            .layer("bottom floor")
            .definedBy(
                BOTTOM_FLOOR.stream().map(p -> BASE + "." + p + "..").toArray(String[]::new));
    for (String stage : STAGES) {
      house = house.layer(stage).definedBy(BASE + "." + stage + "..");
    }
    house =
        house
            .whereLayer("app")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("schedule")
            .mayOnlyBeAccessedByLayers("app")
            .whereLayer("reconcile")
            .mayOnlyBeAccessedByLayers("schedule", "app")
            .whereLayer("server")
            .mayOnlyBeAccessedByLayers("app")
            .whereLayer("demo")
            .mayOnlyBeAccessedByLayers("app")
            .whereLayer("bottom floor")
            .mayNotAccessAnyLayer();
    for (String stage : STAGES) {
      house =
          house
              .whereLayer(stage)
              .mayOnlyBeAccessedByLayers("reconcile", "server", "schedule", "app", "demo");
    }
    house = house.ensureAllClassesAreContainedInArchitecture();
    house.check(PRODUCTION);
  }

  @Test
  void modelImportsNoOtherPackage() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".model..")
        .should()
        .dependOnClassesThat(
            resideInAPackage(BASE + "..").and(not(resideInAPackage(BASE + ".model.."))))
        .because("model is the floor every other package stands on")
        .check(PRODUCTION);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(PRODUCTION);
  }

  @Test
  void purePackagesReachNoExternalSystem() {
    noClasses()
        .that()
        .resideInAnyPackage(PURE.stream().map(p -> BASE + "." + p + "..").toArray(String[]::new))
        .should()
        .dependOnClassesThat(IO)
        .because("model, ledger, fleet, drift, report and preview take data and return data")
        .check(PRODUCTION);
  }

  /**
   * Rendering starts processes (the Helm worker JVM, kustomize) and serves an empty API server to
   * Helm's {@code lookup}, so it is not pure; it still talks to no cluster, Git remote, database,
   * chat or scheduler itself.
   */
  @Test
  void renderTalksToNoExternalSystem() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".render..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "io.fabric8..",
            "org.eclipse.jgit..",
            "com.slack.api..",
            "org.kohsuke.github..",
            "org.quartz..",
            "io.vertx..",
            "java.net.http..")
        .check(PRODUCTION);
  }
}
