package dev.opagent.mcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An input stream that tells when it ended (end of stream, or a read failed). Thread-safe. */
final class EndOfInput extends FilterInputStream {
  private final CountDownLatch ended = new CountDownLatch(1);

  EndOfInput(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    return watch(() -> super.read());
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return watch(() -> super.read(b, off, len));
  }

  private int watch(Read read) throws IOException {
    try {
      int n = read.read();
      if (n < 0) {
        ended.countDown();
      }
      return n;
    } catch (IOException | RuntimeException e) {
      ended.countDown();
      throw e;
    }
  }

  /** Waits until the input ended. */
  void await() throws InterruptedException {
    ended.await();
  }

  /** Waits at most {@code millis} for the input to end; whether it did. */
  boolean await(long millis) throws InterruptedException {
    return ended.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Marks the input as ended (the server was closed). */
  void end() {
    ended.countDown();
  }

  @FunctionalInterface
  private interface Read {
    int read() throws IOException;
  }
}
