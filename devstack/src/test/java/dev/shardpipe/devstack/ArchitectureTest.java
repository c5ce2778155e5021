package dev.shardpipe.devstack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.shardpipe.store.AppliedOffsets;
import dev.shardpipe.store.ShardColumn;
import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardTable;
import io.micronaut.http.annotation.Controller;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, checked on the compiled classes of every module the devstack runs. The
 * devstack's test classpath is the one place that sees them all. The rules run from plain JUnit
 * tests rather than ArchUnit's own test engine, which the JUnit Platform version here does not
 * discover.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.shardpipe");

  private static final String CORE = "dev.shardpipe.core..";
  private static final String INGEST = "dev.shardpipe.ingest..";
  private static final String WRITER = "dev.shardpipe.writer..";
  private static final String STORE = "dev.shardpipe.store..";
  private static final String QUERY = "dev.shardpipe.query..";
  private static final String PROBLEM = "dev.shardpipe.http..";
  private static final String[] SERVICES = {CORE, INGEST, WRITER, STORE, QUERY, PROBLEM};

  private static final ArchRule CORE_KNOWS_NONE_OF_ITS_USERS =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              INGEST,
              WRITER,
              STORE,
              QUERY,
              PROBLEM,
              "dev.shardpipe.embedded..",
              "io.micronaut.http..")
          .because("core is the contract every module shares (SPEC 3, 4); it must not know them");

  /**
   * The store less the shard schema every reader shares (the tables' descriptors and the one read
   * of {@code applied_offsets}): its write path, which belongs to the writer and the moves.
   */
  private static final DescribedPredicate<JavaClass> STORE_WRITE_PATH =
      JavaClass.Predicates.resideInAPackage(STORE)
          .and(
              DescribedPredicate.not(
                  JavaClass.Predicates.belongToAnyOf(
                      ShardSchema.class,
                      ShardTable.class,
                      ShardColumn.class,
                      AppliedOffsets.class)))
          .as("the store's write path");

  private static final ArchRule INGEST_STANDS_ALONE =
      noClasses()
          .that()
          .resideInAPackage(INGEST)
          .should()
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAnyPackage(WRITER, QUERY).or(STORE_WRITE_PATH))
          .because("services deploy alone and meet only through Kafka, the shard schema and core");

  private static final ArchRule WRITER_STANDS_ALONE =
      noClasses()
          .that()
          .resideInAPackage(WRITER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(INGEST, QUERY, PROBLEM)
          .because("services deploy alone and meet only through Kafka, the shard schema and core");

  private static final ArchRule QUERY_STANDS_ALONE =
      noClasses()
          .that()
          .resideInAPackage(QUERY)
          .should()
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAnyPackage(INGEST, WRITER).or(STORE_WRITE_PATH))
          .because(
              "query-service reads the shards through the shard schema only; the rest of the store"
                  + " is the writer's transactional core");

  private static final ArchRule SERVICES_RUN_WITHOUT_THE_EMBEDDED_SERVERS =
      noClasses()
          .that()
          .resideInAnyPackage(SERVICES)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.shardpipe.embedded..", "dev.shardpipe.testing..")
          .because("the services run in containers against real clusters, without them");

  private static final ArchRule CONTROLLERS_LIVE_IN_HTTP_PACKAGES =
      classes()
          .that()
          .areAnnotatedWith(Controller.class)
          .should()
          .resideInAPackage("..http..")
          .because("packages are by capability (STYLE.md rule 1): HTTP handling lives in http");

  private static final ArchRule SERVICES_LOG_INSTEAD_OF_PRINTING =
      noClasses()
          .that()
          .resideInAnyPackage(SERVICES)
          .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
          .because("services log through SLF4J with the shard or request in every line");

  private static final ArchRule NOTHING_USES_JAVA_UTIL_LOGGING =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.because(
          "every module logs through SLF4J, so one configuration governs all output");

  private static final ArchRule NOTHING_INJECTS_FIELDS =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.because(
          "constructor injection into final fields (STYLE.md rule 4)");

  @Test
  void coreKnowsNoneOfItsUsers() {
    CORE_KNOWS_NONE_OF_ITS_USERS.check(CLASSES);
  }

  @Test
  void ingestStandsAlone() {
    INGEST_STANDS_ALONE.check(CLASSES);
  }

  @Test
  void writerStandsAlone() {
    WRITER_STANDS_ALONE.check(CLASSES);
  }

  @Test
  void queryStandsAlone() {
    QUERY_STANDS_ALONE.check(CLASSES);
  }

  @Test
  void servicesRunWithoutTheEmbeddedServers() {
    SERVICES_RUN_WITHOUT_THE_EMBEDDED_SERVERS.check(CLASSES);
  }

  @Test
  void controllersLiveInHttpPackages() {
    CONTROLLERS_LIVE_IN_HTTP_PACKAGES.check(CLASSES);
  }

  @Test
  void servicesLogInsteadOfPrinting() {
    SERVICES_LOG_INSTEAD_OF_PRINTING.check(CLASSES);
  }

  @Test
  void nothingUsesJavaUtilLogging() {
    NOTHING_USES_JAVA_UTIL_LOGGING.check(CLASSES);
  }

  @Test
  void nothingInjectsFields() {
    NOTHING_INJECTS_FIELDS.check(CLASSES);
  }
}
