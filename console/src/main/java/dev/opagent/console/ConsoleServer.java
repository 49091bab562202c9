package dev.opagent.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link ConsoleHandler} on the JDK's {@link HttpServer}, over plain HTTP: bind it to the
 * loopback address (the default) and reach it through an SSH tunnel, or put a TLS proxy in front of
 * it (and set {@link ConsoleHandler.Builder#secureCookies}). On the loopback address, requests
 * whose {@code Host} is not a loopback name are refused, so that a web page cannot reach the
 * console by pointing its own host name at 127.0.0.1.
 *
 * <pre>{@code
 * ConsoleServer server = ConsoleServer.start(handler, "127.0.0.1", 8089, "/");
 * ...
 * server.close();
 * }</pre>
 */
public final class ConsoleServer implements AutoCloseable {
  /** The address the console binds to unless told otherwise. */
  public static final String LOOPBACK = "127.0.0.1";

  private final HttpServer server;
  private final ExecutorService executor;
  private final String path;

  private ConsoleServer(HttpServer server, ExecutorService executor, String path) {
    this.server = server;
    this.executor = executor;
    this.path = path;
  }

  /**
   * Starts serving {@code handler} under {@code path} on {@code bind}:{@code port}.
   *
   * @param bind a host name or address; {@value #LOOPBACK} keeps the console on this machine
   * @param port the port, or 0 for any free one (see {@link #port()})
   * @param path where the console is mounted, such as {@code /} or {@code /console}
   */
  public static ConsoleServer start(HttpHandler handler, String bind, int port, String path)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("the path must start with /, such as /console");
    }
    InetAddress address = InetAddress.getByName(bind);
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    HttpHandler served = address.isLoopbackAddress() ? new LoopbackOnly(handler) : handler;
    server.createContext(path, served);
    if (!path.equals("/")) {
      server.createContext("/", ConsoleServer::notFound);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "opagent-console-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new ConsoleServer(server, executor, path);
  }

  /** The port the console listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The console's address, such as {@code http://127.0.0.1:8089/}. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort() + (path.endsWith("/") ? path : path + "/");
  }

  /**
   * Stops serving at once: the listening socket and open connections are closed (a request under
   * way is cut off), and the console's threads are given a second to end.
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void notFound(HttpExchange ex) throws IOException {
    ex.sendResponseHeaders(404, -1);
    ex.close();
  }

  /** Refuses requests whose Host header names anything but the loopback interface. */
  private record LoopbackOnly(HttpHandler next) implements HttpHandler {
    @Override
    public void handle(HttpExchange ex) throws IOException {
      String host = ex.getRequestHeaders().getFirst("Host");
      if (host == null || !isLoopbackName(host)) {
        ex.sendResponseHeaders(421, -1);
        ex.close();
        return;
      }
      next.handle(ex);
    }

    static boolean isLoopbackName(String hostHeader) {
      String h = hostHeader.toLowerCase(Locale.ROOT);
      if (h.startsWith("[")) {
        int end = h.indexOf(']');
        return end > 0 && h.substring(1, end).equals("::1");
      }
      int colon = h.indexOf(':');
      String name = colon < 0 ? h : h.substring(0, colon);
      return name.equals("localhost") || name.equals("127.0.0.1");
    }
  }
}
