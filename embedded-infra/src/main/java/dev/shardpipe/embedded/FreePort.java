package dev.shardpipe.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds and checks TCP ports on the loopback interface. */
public final class FreePort {

  private FreePort() {}

  /**
   * Returns a port that was free on 127.0.0.1 a moment ago; another process may still take it
   * before the caller binds it, which tests accept for the sake of fixed KRaft quorum addresses.
   *
   * @return a port number in the ephemeral range
   * @throws IOException if no socket can be bound
   */
  public static int find() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /**
   * Checks that a port can be bound on 127.0.0.1, so that a clash is reported by name rather than
   * as a bind error deep inside a server.
   *
   * @param port the port
   * @param what who wants it, for the message
   * @throws IOException naming the port and who wanted it, if something already listens there
   */
  public static void requireFree(int port, String what) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    } catch (IOException e) {
      throw new IOException(
          "port "
              + port
              + " for "
              + what
              + " is in use on 127.0.0.1; stop what listens there"
              + " or choose another port",
          e);
    }
  }
}
