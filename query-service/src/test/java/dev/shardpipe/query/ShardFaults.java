package dev.shardpipe.query;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * A PostgreSQL driver socket factory ({@code ?socketFactory=} in a JDBC URL) that makes chosen
 * databases unreachable while the others connect normally: the URL template is one for all shards,
 * so this is how a test takes down one shard of a running service. The driver creates one factory
 * per connection, passing the connection properties, which name the database.
 */
public final class ShardFaults extends SocketFactory {

  /** What a connection to a database meets. */
  enum Fault {
    /** Nothing listens: the connection is refused at once. */
    REFUSE,
    /** A socket accepts the connection and never answers, like a hung server. */
    SILENT
  }

  /** The fault per database name; databases not listed connect normally. */
  static final Map<String, Fault> FAULTS = new ConcurrentHashMap<>();

  /** A loopback port nothing listens on. */
  static volatile int refusingPort;

  /** A loopback port whose server never accepts. */
  static volatile int silentPort;

  private final Fault fault;

  /**
   * Called by the driver.
   *
   * @param info the connection properties; {@code PGDBNAME} is the database
   */
  public ShardFaults(Properties info) {
    this.fault = FAULTS.get(info.getProperty("PGDBNAME", ""));
  }

  @Override
  public Socket createSocket() {
    return new Socket() {
      @Override
      public void connect(SocketAddress endpoint, int timeout) throws IOException {
        super.connect(redirect(endpoint), timeout);
      }
    };
  }

  private SocketAddress redirect(SocketAddress endpoint) {
    if (fault == null) {
      return endpoint;
    }
    int port = fault == Fault.REFUSE ? refusingPort : silentPort;
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @Override
  public Socket createSocket(String host, int port) {
    throw new UnsupportedOperationException("the driver connects through createSocket()");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
    throw new UnsupportedOperationException("the driver connects through createSocket()");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) {
    throw new UnsupportedOperationException("the driver connects through createSocket()");
  }

  @Override
  public Socket createSocket(
      InetAddress address, int port, InetAddress localAddress, int localPort) {
    throw new UnsupportedOperationException("the driver connects through createSocket()");
  }
}
