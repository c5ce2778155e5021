package dev.shardpipe.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.auth.Roles;
import dev.shardpipe.catalog.CatalogSnapshot;
import dev.shardpipe.core.routing.Routing;
import dev.shardpipe.shardctl.ShardctlCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's chromium, driven through chromedriver): the devstack
 * runs, the page shows one cell per partition coloured by its owner, a partition moved to a new
 * shard shows its move and then its new owner, and a shard whose database refuses connections is
 * shown down. Screenshots of each step go to {@code target/console/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Path SCREENSHOTS = Path.of("target", "console");
  private static final int ROWS_OF_THE_MOVED_PARTITION = 300_000;

  @TempDir static Path dataDir;

  private static DevstackOptions options;
  private static Devstack devstack;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    options = TestDevstacks.options(dataDir);
    devstack = Devstack.start(options);
    ChromeOptions chrome = new ChromeOptions();
    chrome.setBinary(CHROMIUM.toFile());
    // No sandbox: CI runs as root, where chromium's sandbox refuses to start.
    chrome.addArguments("--headless=new", "--no-sandbox", "--window-size=1300,1000");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
            chrome);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (devstack != null) {
      devstack.close();
    }
  }

  @Test
  @Order(1)
  void showsEveryPartitionColouredByTheShardThatOwnsIt() throws Exception {
    post("{\"location\":\"europe\",\"owner_id\":42,\"text\":\"hello console\"}");
    browser.get(consoleUrl());

    WebElement login = waiting().until(b -> displayed(b, By.id("login")));
    assertThat(browser.findElement(By.id("console")).isDisplayed())
        .as("without a token the page shows nothing but the question for one")
        .isFalse();
    assertThat(browser.findElements(By.cssSelector("#grid .cell"))).isEmpty();
    screenshot("0-asks-for-a-token.png");
    browser.findElement(By.id("token")).sendKeys(token(Roles.INGEST));
    login.findElement(By.cssSelector("button")).click();
    waiting().until(b -> b.findElement(By.id("login-error")).getText().contains("read or admin"));
    browser.findElement(By.id("token")).clear();
    browser.findElement(By.id("token")).sendKeys(token(Roles.READ));
    login.findElement(By.cssSelector("button")).click();

    Map<Integer, String> owners =
        waiting().until(b -> owners(b).size() == Routing.DEFAULT_PARTITIONS ? owners(b) : null);
    CatalogSnapshot placement = devstack.placement();
    for (Map.Entry<Integer, String> cell : owners.entrySet()) {
      assertThat(cell.getValue())
          .as("owner of partition %d", cell.getKey())
          .isEqualTo(placement.shardOf(cell.getKey()));
    }
    waiting().until(b -> "up".equals(shardRow("eu").getDomAttribute("data-database")));
    screenshot("1-two-shards.png");
  }

  @Test
  @Order(2)
  void showsAMoveWhileItRunsAndThenTheNewOwner() throws Exception {
    int partition = devstack.placement().partitionsOf("eu").get(0);
    // Rows enough that the copy is seen under way, written where the writer would have put them.
    sql(
        "eu",
        "INSERT INTO tweets (id, location, owner_id, text, like_count, occurred_at, partition)"
            + " SELECT gen_random_uuid(), 'europe', g, 'console', 0, now(), "
            + partition
            + " FROM generate_series(1, "
            + ROWS_OF_THE_MOVED_PARTITION
            + ") AS g");
    assertThat(shardctl("add-shard", "c", "--region", "europe")).isZero();
    CompletableFuture<Integer> move =
        CompletableFuture.supplyAsync(
            () -> shardctl("move", Integer.toString(partition), "--to", "c", "--wait"));
    // Traffic while the partition moves, for the flow to show: 50 tweets every 200 ms, bounded.
    CompletableFuture<Void> traffic =
        CompletableFuture.runAsync(
            () -> {
              for (int batch = 0; batch < 1_000 && !move.isDone(); batch++) {
                postBatch(batch);
                sleep(Duration.ofMillis(200));
              }
            });

    By moving = By.cssSelector("[data-partition='" + partition + "'][data-move-state]");
    waiting()
        .until(
            b -> {
              WebElement cell = first(b, moving);
              return cell != null && cell.getText().contains("eu → c");
            });
    waiting().until(b -> !b.findElement(By.id("accepted")).getText().matches("–|0 events/s"));
    screenshot("2-moving.png");

    assertThat(move.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS)).isZero();
    traffic.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    By moved =
        By.cssSelector(
            "[data-partition='" + partition + "'][data-shard='c']:not([data-move-state])");
    waiting().until(b -> first(b, moved));
    waiting().until(b -> shardRow("c").getText().matches("(?s).*europe.*active.*"));
    screenshot("3-moved.png");
  }

  @Test
  @Order(3)
  void marksAShardDownWhileItsDatabaseRefusesConnections() throws Exception {
    String database = Devstack.databaseName("us");
    sql("postgres", "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    try {
      sql(
          "postgres",
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + database
              + "'");
      waiting().until(b -> "down".equals(shardRow("us").getDomAttribute("data-database")));
      assertThat(browser.findElement(By.id("banner")).getText()).contains("us");
      assertThat(browser.findElements(By.cssSelector(".cell.down[data-shard='us']")).size())
          .isEqualTo(devstack.placement().partitionsOf("us").size());
      screenshot("4-shard-down.png");
    } finally {
      sql("postgres", "ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }
    waiting().until(b -> "up".equals(shardRow("us").getDomAttribute("data-database")));
  }

  /**
   * Waits that retry when the element found was replaced meanwhile: the page redraws its grid and
   * tables on every answer of /stats, once a second.
   */
  private static WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Each cell's partition and owner, read in one script so that no redraw falls in between. */
  @SuppressWarnings("unchecked")
  private static Map<Integer, String> owners(WebDriver b) {
    List<List<Object>> cells =
        (List<List<Object>>)
            ((JavascriptExecutor) b)
                .executeScript(
                    "return Array.from(document.querySelectorAll('#grid .cell'))"
                        + ".map(c => [Number(c.dataset.partition), c.dataset.shard]);");
    Map<Integer, String> owners = new TreeMap<>();
    for (List<Object> cell : cells) {
      owners.put(((Number) cell.get(0)).intValue(), (String) cell.get(1));
    }
    return owners;
  }

  private static WebElement displayed(WebDriver b, By by) {
    WebElement found = first(b, by);
    return found != null && found.isDisplayed() ? found : null;
  }

  private static WebElement first(WebDriver b, By by) {
    List<WebElement> found = b.findElements(by);
    return found.isEmpty() ? null : found.get(0);
  }

  private static WebElement shardRow(String shard) {
    return browser.findElement(By.cssSelector("#shards tr[data-shard='" + shard + "']"));
  }

  private static String token(String role) {
    return devstack.auth().orElseThrow().token(role);
  }

  private static String consoleUrl() {
    return "http://127.0.0.1:" + options.queryPort() + "/console";
  }

  private static void screenshot(String name) throws Exception {
    Files.write(
        SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static void post(String json) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + options.ingestPort() + "/tweets"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token(Roles.INGEST))
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }

  private static void postBatch(int batch) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"location\":\"")
          .append(i % 2 == 0 ? "europe" : "usa")
          .append("\",\"owner_id\":")
          .append(batch * 50 + i)
          .append(",\"text\":\"flow\"}");
    }
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + options.ingestPort() + "/tweets/batch"))
                      .header("Content-Type", "application/json")
                      .header("Authorization", "Bearer " + token(Roles.INGEST))
                      .header("Authorization", "Bearer " + token(Roles.INGEST))
                      .POST(HttpRequest.BodyPublishers.ofString(json.append(']').toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sql(String database, String statement) throws Exception {
    String url =
        database.equals("postgres")
            ? devstack.postgres().jdbcUrl("postgres")
            : devstack.postgres().jdbcUrl(Devstack.databaseName(database));
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static int shardctl(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--catalog-url=" + Devstack.catalogUrl(options);
    all[args.length + 1] = "--bootstrap-servers=127.0.0.1:" + options.kafkaPort();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ShardctlCommand.execute(
            all, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    System.out.println("shardctl " + String.join(" ", args) + " -> " + status);
    System.out.println(out.toString(UTF_8) + err.toString(UTF_8));
    return status;
  }
}
