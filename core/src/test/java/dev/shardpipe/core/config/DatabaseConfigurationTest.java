package dev.shardpipe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseConfigurationTest {

  @Test
  void putsEachShardInItsOwnDevstackDatabaseByDefault() {
    try (ApplicationContext context = ApplicationContext.run()) {
      DatabaseConfiguration config = context.getBean(DatabaseConfiguration.class);
      assertThat(config.urlFor("eu")).isEqualTo("jdbc:postgresql://localhost:5433/shard_eu");
      assertThat(config.user()).isEqualTo("postgres");
    }
  }

  @Test
  void fillsTheShardIntoEveryPlaceOfTheTemplate() {
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "shardpipe.database.url-template",
                "jdbc:postgresql://pg-{shard}:5432/shard_{shard}"))) {
      assertThat(context.getBean(DatabaseConfiguration.class).urlFor("us"))
          .isEqualTo("jdbc:postgresql://pg-us:5432/shard_us");
    }
  }

  @Test
  void refusesATemplateThatWouldPutAllShardsInOneDatabase() {
    assertThatThrownBy(
            () ->
                ApplicationContext.run(
                        Map.of("shardpipe.database.url-template", "jdbc:postgresql://h/db"))
                    .getBean(DatabaseConfiguration.class))
        .rootCause()
        .hasMessage(
            "shardpipe.database.url-template must contain {shard} so that each shard has its own"
                + " database, was \"jdbc:postgresql://h/db\"");
  }

  @Test
  void usesTheOwnersLoginForEveryRoleUnlessReaderAndWriterAreSet() {
    try (ApplicationContext context = ApplicationContext.run()) {
      DatabaseConfiguration config = context.getBean(DatabaseConfiguration.class);
      assertThat(config.reader()).isEqualTo(new DatabaseConfiguration.Login("postgres", ""));
      assertThat(config.writer("eu")).isEqualTo(new DatabaseConfiguration.Login("postgres", ""));
    }
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "shardpipe.database.reader-user", "shardpipe_reader",
                "shardpipe.database.reader-password", "r",
                "shardpipe.database.writer-user", "shardpipe_writer_{shard}",
                "shardpipe.database.writer-password", "w"))) {
      DatabaseConfiguration config = context.getBean(DatabaseConfiguration.class);
      assertThat(config.owner().user()).isEqualTo("postgres");
      assertThat(config.reader())
          .isEqualTo(new DatabaseConfiguration.Login("shardpipe_reader", "r"));
      assertThat(config.writer("us"))
          .isEqualTo(new DatabaseConfiguration.Login("shardpipe_writer_us", "w"));
      assertThat(config.writer("us").toString()).isEqualTo("Login[shardpipe_writer_us]");
    }
  }
}
