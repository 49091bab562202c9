package dev.opagent.agent.execution.channels;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether another process holds a lock on a file, as a second process would see it: run in a
 * JVM of its own, it tries the lock and prints {@code held} or {@code free}.
 */
final class LockProbe {
  private LockProbe() {}

  public static void main(String[] args) throws IOException {
    try (FileChannel fc =
        FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = fc.tryLock();
      System.out.println(lock == null ? "held" : "free");
    }
  }

  /** Whether a process other than this one could lock {@code file} now. */
  static boolean lockedByThisProcess(Path file) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockProbe.class.getName(),
                file.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the lock probe did not finish");
    }
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (!out.equals("held") && !out.equals("free")) {
      throw new IllegalStateException("the lock probe said: " + out);
    }
    return out.equals("held");
  }
}
