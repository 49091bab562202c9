package dev.opagent.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * A file the console's pages load from the console itself: its styles, the script that draws the
 * charts and Chart.js, read from its WebJar on the class path.
 *
 * @param type the content type
 * @param bytes the content
 */
public record Asset(String type, byte[] bytes) {
  private static final String CSS = "text/css; charset=utf-8";
  private static final String JS = "text/javascript; charset=utf-8";

  /**
   * The bundled assets by path under the console.
   *
   * @throws IllegalStateException if one is missing from the class path
   */
  public static Map<String, Asset> bundled() {
    Properties webjar = new Properties();
    try (InputStream in = open("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
      webjar.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String chartJs =
        "META-INF/resources/webjars/chart.js/"
            + webjar.getProperty("version", "")
            + "/dist/chart.umd.min.js";
    return Map.of(
        "/assets/console.css", new Asset(CSS, read("dev/opagent/console/console.css")),
        "/assets/charts.js", new Asset(JS, read("dev/opagent/console/charts.js")),
        "/assets/chart.umd.min.js", new Asset(JS, read(chartJs)));
  }

  private static byte[] read(String name) {
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String name) {
    InputStream in = Asset.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the class path");
    }
    return in;
  }
}
