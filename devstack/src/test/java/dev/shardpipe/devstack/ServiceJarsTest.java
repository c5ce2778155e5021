package dev.shardpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJarsTest {

  @TempDir Path dir;

  /** An unpacked distribution: devstack.jar beside the services' jars and one lib/. */
  private Path distribution() throws IOException {
    Path dist = Files.createDirectories(dir.resolve("shardpipe-0.1.0"));
    Files.createDirectories(dist.resolve("lib"));
    for (String jar : new String[] {"devstack", "shard-writer", "ingest-api", "query-service"}) {
      Files.writeString(dist.resolve(jar + ".jar"), "");
    }
    return dist;
  }

  /** A built checkout: every module's {@code target/<module>.jar} with its {@code target/lib}. */
  private Path checkout() throws IOException {
    Path root = Files.createDirectories(dir.resolve("checkout"));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    for (String module : new String[] {"devstack", "shard-writer", "ingest-api", "query-service"}) {
      Path target = Files.createDirectories(root.resolve(module).resolve("target"));
      Files.createDirectories(target.resolve("lib"));
      Files.writeString(target.resolve(module + ".jar"), "");
    }
    return root;
  }

  @Test
  void findsTheJarsBesideDevstackJarOfAnUnpackedDistribution() throws IOException {
    Path dist = distribution();

    ServiceJars jars = ServiceJars.locate(null, null, dist.resolve("devstack.jar"));

    assertThat(jars).isEqualTo(ServiceJars.in(dist));
    assertThat(jars.jar("ingest-api")).isEqualTo(dist.resolve("ingest-api.jar"));
    jars.requireBuilt();
  }

  @Test
  void findsTheBuiltCheckoutAboveDevstackJarOrItsClasses() throws IOException {
    Path root = checkout();

    ServiceJars fromJar =
        ServiceJars.locate(null, null, root.resolve("devstack/target/devstack.jar"));
    ServiceJars fromClasses =
        ServiceJars.locate(null, null, root.resolve("devstack/target/classes"));

    assertThat(fromJar).isEqualTo(ServiceJars.sourceTree(root)).isEqualTo(fromClasses);
    assertThat(fromJar.jar("shard-writer"))
        .isEqualTo(root.resolve("shard-writer/target/shard-writer.jar"));
    fromJar.requireBuilt();
  }

  @Test
  void aDirectoryGivenWinsOverTheVariableWhichWinsOverWhereTheCodeIs() throws IOException {
    Path dist = distribution();
    Path code = checkout().resolve("devstack/target/devstack.jar");

    assertThat(ServiceJars.locate(dist, "/elsewhere", code)).isEqualTo(ServiceJars.in(dist));
    assertThat(ServiceJars.locate(null, dist.toString(), code)).isEqualTo(ServiceJars.in(dist));
    assertThat(ServiceJars.locate(null, " ", code).sourceTree()).isTrue();
  }

  @Test
  void outsideADistributionAndACheckoutSaysHowToNameTheJars() throws IOException {
    Path lonely = Files.createDirectories(dir.resolve("lonely")).resolve("devstack.jar");
    Files.writeString(lonely, "");

    assertThatThrownBy(() -> ServiceJars.locate(null, null, lonely))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot find the services' jars")
        .hasMessageContaining("--service-jars")
        .hasMessageContaining(ServiceJars.VARIABLE);
  }

  @Test
  void aMissingJarIsNamedWithHowToBuildIt() throws IOException {
    Path root = checkout();
    Files.delete(root.resolve("query-service/target/query-service.jar"));

    assertThatThrownBy(() -> ServiceJars.sourceTree(root).requireBuilt())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            root.resolve("query-service/target/query-service.jar") + " is missing")
        .hasMessageContaining("mvn -q -DskipTests package");
  }

  @Test
  void aDistributionWithoutItsLibIsNotOne() throws IOException {
    Path dist = distribution();
    Files.delete(dist.resolve("lib"));

    assertThatThrownBy(() -> ServiceJars.in(dist).requireBuilt())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--service-jars");
  }
}
