package dev.opagent.console;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The operations console as a servlet, for hosts on a servlet container (Tomcat, Jetty, Spring
 * Boot's embedded server): the same pages, forms and security as the {@link ConsoleHandler} it
 * serves. Map it to a path of its own with a wildcard, such as {@code /ops/*}; the console's links
 * and cookies then live under {@code <context path>/ops/}.
 *
 * <pre>{@code
 * // Spring Boot
 * @Bean
 * ServletRegistrationBean<ConsoleServlet> console(OperatingStore store) {
 *   ConsoleHandler handler = ConsoleHandler.builder()
 *       .store(store)
 *       .authenticator(ConsoleAuthenticator.users(operators))
 *       .secureCookies(true)
 *       .build();
 *   return new ServletRegistrationBean<>(new ConsoleServlet(handler), "/ops/*");
 * }
 * }</pre>
 *
 * <p>Register the instance programmatically (it has no no-argument constructor, so it cannot be
 * named in a {@code web.xml}). The container's own security (TLS, the addresses it listens on)
 * applies as for any servlet; the console still asks for its own login. Compiled against Jakarta
 * Servlet 6.0, provided by the container. Thread-safe.
 */
public final class ConsoleServlet extends HttpServlet {
  @Serial private static final long serialVersionUID = 1L;

  private final transient HttpHandler console;

  /** A servlet serving {@code console}. */
  public ConsoleServlet(ConsoleHandler console) {
    this.console = Objects.requireNonNull(console, "console");
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    console.handle(new ServletExchange(request, response, console));
  }

  /** One request and its response, as the JDK server's handlers see them. */
  private static final class ServletExchange extends HttpExchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final HttpContext context;
    private final URI uri;
    private int status = -1;

    ServletExchange(HttpServletRequest request, HttpServletResponse response, HttpHandler console) {
      this.request = request;
      this.response = response;
      for (String name : Collections.list(request.getHeaderNames())) {
        requestHeaders.put(name, Collections.list(request.getHeaders(name)));
      }
      String query = request.getQueryString();
      this.uri = URI.create(request.getRequestURI() + (query == null ? "" : "?" + query));
      this.context = new MountedAt(request.getContextPath() + request.getServletPath(), console);
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
      return context;
    }

    @Override
    public void close() {
      // the container completes the response when the servlet returns
    }

    @Override
    public InputStream getRequestBody() {
      try {
        return request.getInputStream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public OutputStream getResponseBody() {
      try {
        return response.getOutputStream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      if (status != -1) {
        throw new IOException("the response headers were sent already");
      }
      status = code;
      response.setStatus(code);
      for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
        for (String v : h.getValue()) {
          response.addHeader(h.getKey(), v);
        }
      }
      if (length > 0) {
        response.setContentLengthLong(length);
      } else if (length == -1) { // no body; 0 is a body of unknown length
        response.setContentLengthLong(0);
        response.flushBuffer();
      }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort());
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return new InetSocketAddress(request.getLocalAddr(), request.getLocalPort());
    }

    @Override
    public String getProtocol() {
      return request.getProtocol();
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
      request.setAttribute(name, value);
    }

    @Override
    public void setStreams(@Nullable InputStream in, @Nullable OutputStream out) {
      throw new UnsupportedOperationException(
          "the console's servlet keeps the container's streams");
    }

    @Override
    public @Nullable HttpPrincipal getPrincipal() {
      return null;
    }
  }

  /**
   * The path the servlet is mapped to, which the console builds its links and cookies from, and the
   * console as its handler. The container, not a JDK server, routes requests, applies filters and
   * authenticates, so the context cannot be rewired: its setters and its server are unsupported.
   */
  private static final class MountedAt extends HttpContext {
    private final String path;
    private final HttpHandler handler;

    MountedAt(String path, HttpHandler handler) {
      this.path = path.isEmpty() ? "/" : path;
      this.handler = handler;
    }

    @Override
    public String getPath() {
      return path;
    }

    @Override
    public HttpHandler getHandler() {
      return handler;
    }

    @Override
    public void setHandler(HttpHandler handler) {
      throw new UnsupportedOperationException("the servlet's handler is the console");
    }

    @Override
    public HttpServer getServer() {
      throw new UnsupportedOperationException("served by a servlet container");
    }

    @Override
    public Map<String, Object> getAttributes() {
      return Map.of();
    }

    @Override
    public List<Filter> getFilters() {
      return List.of();
    }

    @Override
    public @Nullable Authenticator setAuthenticator(@Nullable Authenticator auth) {
      throw new UnsupportedOperationException("the console authenticates its operators itself");
    }

    @Override
    public @Nullable Authenticator getAuthenticator() {
      return null;
    }
  }
}
