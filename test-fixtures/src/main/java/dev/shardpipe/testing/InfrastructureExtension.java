package dev.shardpipe.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves an {@link Infrastructure} parameter of a test class's constructor, lifecycle or test
 * methods. The servers start on first use and stop when the test JVM's root context closes:
 *
 * <pre>{@code
 * @ExtendWith(InfrastructureExtension.class)
 * class ShardWriterIT {
 *   @BeforeAll
 *   static void start(Infrastructure infra) { ... }
 * }
 * }</pre>
 */
public final class InfrastructureExtension implements ParameterResolver {

  /** Creates the extension; JUnit does this. */
  public InfrastructureExtension() {
    // Stateless: the shared servers live in the root context's store.
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Infrastructure.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(InfrastructureExtension.class))
        .getOrComputeIfAbsent(
            Infrastructure.class, k -> Infrastructure.start(), Infrastructure.class);
  }
}
