package dev.shardpipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.shardpipe.core.event.Violation;
import dev.shardpipe.store.AppliedOffsets;
import dev.shardpipe.store.ShardColumn;
import dev.shardpipe.store.ShardSchema;
import dev.shardpipe.store.ShardTable;
import io.micronaut.http.annotation.Controller;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, checked on the compiled main classes of every module: the services, the
 * libraries they share (the event generator among them), and the tools (devstack, shardctl,
 * loadgen, bench). This module depends on all of them with test scope, so its test classpath is the
 * one place that sees them all. The rules run from plain JUnit tests rather than ArchUnit's own
 * test engine, which the JUnit Platform version here does not discover.
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
  private static final String CATALOG = "dev.shardpipe.catalog..";
  private static final String MOVE = "dev.shardpipe.move..";
  private static final String AUTH = "dev.shardpipe.auth..";
  private static final String EMBEDDED = "dev.shardpipe.embedded..";
  private static final String TESTING = "dev.shardpipe.testing..";
  private static final String DEVSTACK = "dev.shardpipe.devstack..";
  private static final String SHARDCTL = "dev.shardpipe.shardctl..";
  private static final String LOADGEN = "dev.shardpipe.loadgen..";
  private static final String BENCH = "dev.shardpipe.bench..";
  private static final String TOPOLOGY = "dev.shardpipe.topology..";
  private static final String GENERATOR = "dev.shardpipe.generator..";

  private static final String[] SERVICES = {CORE, INGEST, WRITER, STORE, QUERY, PROBLEM};

  /**
   * What the services run with in a deployment: their own code and the libraries they share, among
   * them the event generator of ingest-api's demo load.
   */
  private static final String[] DEPLOYED = {
    CORE, INGEST, WRITER, STORE, QUERY, PROBLEM, CATALOG, MOVE, AUTH, GENERATOR
  };

  private static final String[] TOOLS = {DEVSTACK, SHARDCTL, LOADGEN, BENCH};

  /** The tools and the options they share ({@code topology}), which no deployed code needs. */
  private static final String[] TOOL_CODE = concat(TOOLS, new String[] {TOPOLOGY});

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

  private static final ArchRule CORE_KNOWS_NONE_OF_ITS_USERS =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              concat(
                  new String[] {
                    INGEST,
                    WRITER,
                    STORE,
                    QUERY,
                    PROBLEM,
                    CATALOG,
                    MOVE,
                    AUTH,
                    GENERATOR,
                    EMBEDDED,
                    TESTING,
                    "io.micronaut.http.."
                  },
                  TOOL_CODE))
          .because(
              "core is the contract every module shares (docs/contract.md §3, §4); it must not"
                  + " know them");

  /**
   * The one type of core that the problem body still names: a field and what is wrong with it,
   * which validation in core produces and the {@code 400} lists. Everything else of core is out of
   * bounds.
   */
  private static final DescribedPredicate<JavaClass> CORE_BEYOND_THE_FIELD_ERROR =
      JavaClass.Predicates.resideInAPackage(CORE)
          .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(Violation.class)))
          .as("are in core, other than its field error Violation");

  private static final ArchRule HTTP_PROBLEM_KNOWS_NO_CORE =
      noClasses()
          .that()
          .resideInAPackage(PROBLEM)
          .should()
          .dependOnClassesThat(
              CORE_BEYOND_THE_FIELD_ERROR.or(
                  JavaClass.Predicates.resideInAnyPackage(
                      INGEST, WRITER, STORE, QUERY, CATALOG, MOVE, AUTH)))
          .because(
              "http-problem renders any service's errors as RFC 9457 problems and knows nothing of"
                  + " events, routing or placement; only the field error a 400 lists is shared"
                  + " with core's validation");

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

  private static final ArchRule DEPLOYED_CODE_RUNS_WITHOUT_THE_EMBEDDED_SERVERS =
      noClasses()
          .that()
          .resideInAnyPackage(DEPLOYED)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(EMBEDDED, TESTING)
          .because(
              "the services and the libraries they share run in containers against real clusters,"
                  + " without the embedded servers or the test fixtures");

  private static final ArchRule DEPLOYED_CODE_KNOWS_NO_TOOL =
      noClasses()
          .that()
          .resideInAnyPackage(concat(DEPLOYED, new String[] {EMBEDDED, TESTING}))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(TOOL_CODE)
          .because(
              "the tools drive the pipeline from outside; a service or library that needed one"
                  + " would ship it");

  private static final ArchRule TOOLS_USE_NO_SERVICE_INTERNALS =
      noClasses()
          .that()
          .resideInAnyPackage(TOOL_CODE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(INGEST, WRITER, QUERY, PROBLEM)
          .because(
              "a tool meets the services as a user does, over HTTP, Kafka and JDBC, and shares"
                  + " only core, the catalog and the shard schema with them; the devstack runs"
                  + " the services from their jars");

  private static final ArchRule ONLY_BENCH_BUILDS_ON_ANOTHER_TOOL =
      CompositeArchRule.of(toolStandsAlone(DEVSTACK))
          .and(toolStandsAlone(SHARDCTL))
          .and(toolStandsAlone(LOADGEN))
          .because(
              "the devstack, shardctl and loadgen are separate commands a user runs on their own;"
                  + " only the benchmark suite composes them");

  private static final ArchRule MAIN_CODE_USES_NO_TEST_FIXTURES =
      noClasses()
          .that()
          .resideOutsideOfPackage(TESTING)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(TESTING)
          .because("test-fixtures holds what tests share; no command or service ships it");

  private static final ArchRule LOADGEN_DRIVES_THE_PIPELINE_FROM_OUTSIDE =
      noClasses()
          .that()
          .resideInAPackage(LOADGEN)
          .should()
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAnyPackage(EMBEDDED, MOVE).or(STORE_WRITE_PATH))
          .because(
              "loadgen measures a running pipeline as its users see it (events in through"
                  + " ingest-api or Kafka, reads through query-service or the shard schema's SQL):"
                  + " it starts no server, moves no partition and writes no shard itself");

  private static final ArchRule SHARDCTL_RUNS_AGAINST_ANY_DEPLOYMENT =
      noClasses()
          .that()
          .resideInAPackage(SHARDCTL)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(EMBEDDED)
          .because(
              "shardctl operates every deployment (devstack, compose, any servers) through the"
                  + " addresses of the catalog, the shards and Kafka, never by starting them");

  private static final ArchRule THE_GENERATOR_MAKES_EVENTS_AND_NOTHING_ELSE =
      noClasses()
          .that()
          .resideInAPackage(GENERATOR)
          .should()
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAPackage("dev.shardpipe..")
                  .and(
                      DescribedPredicate.not(
                          JavaClass.Predicates.resideInAnyPackage(CORE, GENERATOR)))
                  .or(
                      JavaClass.Predicates.resideInAnyPackage(
                          "org.apache.kafka..",
                          "io.micronaut.http..",
                          "java.sql..",
                          "java.net.http..")))
          .because(
              "ingest-api, loadgen and the benchmarks all make their synthetic events with it, so"
                  + " it builds core's events from Datafaker's values and knows no other module,"
                  + " broker, database or HTTP client");

  private static final ArchRule CONTROLLERS_LIVE_IN_HTTP_PACKAGES =
      classes()
          .that()
          .areAnnotatedWith(Controller.class)
          .should()
          .resideInAPackage("..http..")
          .because("packages are by capability: HTTP handling lives in http");

  private static final ArchRule SERVICES_LOG_INSTEAD_OF_PRINTING =
      noClasses()
          .that()
          .resideInAnyPackage(DEPLOYED)
          .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
          .because(
              "services log through SLF4J with the shard or request in every line; only the"
                  + " command-line tools print");

  private static final ArchRule NOTHING_USES_JAVA_UTIL_LOGGING =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.because(
          "every module logs through SLF4J, so one configuration governs all output");

  private static final ArchRule NOTHING_INJECTS_FIELDS =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.because(
          "dependencies are injected through constructors into final fields, so an object is"
              + " complete once built");

  /** No class of {@code tool} depends on any other tool. */
  private static ArchRule toolStandsAlone(String tool) {
    String[] others = Arrays.stream(TOOLS).filter(t -> !t.equals(tool)).toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage(tool)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others);
  }

  private static String[] concat(String[] first, String[] second) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(second)).toArray(String[]::new);
  }

  @Test
  void coreKnowsNoneOfItsUsers() {
    CORE_KNOWS_NONE_OF_ITS_USERS.check(CLASSES);
  }

  @Test
  void httpProblemKnowsNoCore() {
    HTTP_PROBLEM_KNOWS_NO_CORE.check(CLASSES);
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
  void deployedCodeRunsWithoutTheEmbeddedServers() {
    DEPLOYED_CODE_RUNS_WITHOUT_THE_EMBEDDED_SERVERS.check(CLASSES);
  }

  @Test
  void deployedCodeKnowsNoTool() {
    DEPLOYED_CODE_KNOWS_NO_TOOL.check(CLASSES);
  }

  @Test
  void toolsUseNoServiceInternals() {
    TOOLS_USE_NO_SERVICE_INTERNALS.check(CLASSES);
  }

  @Test
  void onlyBenchBuildsOnAnotherTool() {
    ONLY_BENCH_BUILDS_ON_ANOTHER_TOOL.check(CLASSES);
  }

  @Test
  void mainCodeUsesNoTestFixtures() {
    MAIN_CODE_USES_NO_TEST_FIXTURES.check(CLASSES);
  }

  @Test
  void loadgenDrivesThePipelineFromOutside() {
    LOADGEN_DRIVES_THE_PIPELINE_FROM_OUTSIDE.check(CLASSES);
  }

  @Test
  void shardctlRunsAgainstAnyDeployment() {
    SHARDCTL_RUNS_AGAINST_ANY_DEPLOYMENT.check(CLASSES);
  }

  @Test
  void theGeneratorMakesEventsAndNothingElse() {
    THE_GENERATOR_MAKES_EVENTS_AND_NOTHING_ELSE.check(CLASSES);
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
