package dev.opagent.examples.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * An output file written safely: into a temporary file next to it, forced to disk and moved over
 * the output in one step by {@link #commit()}, so that a run that fails half-way leaves the
 * previous output as it was (and never a half-written one). Closing without committing deletes the
 * temporary file. Not thread-safe.
 *
 * <pre>{@code
 * OutputFile.refuseSameFile(cmd, "--output", output, "--customers", input);
 * try (OutputFile out = OutputFile.create(output)) {
 *   out.writer().write(...);
 *   out.commit();
 * }
 * }</pre>
 */
final class OutputFile implements Closeable {
  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private final BufferedWriter writer;
  private boolean done;

  private OutputFile(Path target, Path temporary, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
    this.writer =
        new BufferedWriter(
            new OutputStreamWriter(
                Channels.newOutputStream(channel), StandardCharsets.UTF_8.newEncoder()));
  }

  /**
   * Refuses, as a usage error (exit code 2), an output that is the same file as an input, by
   * whatever name (a link, {@code ..}, a relative path): opening the output would empty the input
   * before it is read. Nothing is written. An input that is {@code null} or does not exist, or an
   * output that does not exist yet, cannot be the same file.
   *
   * @throws CommandLine.ParameterException naming both options when they are the same file
   */
  static void refuseSameFile(
      CommandLine cmd,
      String outputOption,
      @Nullable Path output,
      String inputOption,
      @Nullable Path input) {
    if (output == null || input == null || !Files.exists(output) || !Files.exists(input)) {
      return;
    }
    boolean same;
    try {
      same = Files.isSameFile(input, output);
    } catch (IOException e) {
      same = false;
    }
    if (same) {
      throw new CommandLine.ParameterException(
          cmd,
          inputOption
              + " "
              + input
              + " and "
              + outputOption
              + " "
              + output
              + " are the same file; writing the output would destroy"
              + " the input: give "
              + outputOption
              + " another file");
    }
  }

  /**
   * Starts writing {@code output}: creates its directory if needed and a new temporary file beside
   * the file the output names (beside a symbolic link's target, so the link stays a link). The
   * output itself is untouched until {@link #commit()}.
   */
  static OutputFile create(Path output) throws IOException {
    Path target = Files.isSymbolicLink(output) ? output.toRealPath() : output.toAbsolutePath();
    Path dir = target.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    for (int attempt = 0; ; attempt++) {
      Path temporary =
          target.resolveSibling(
              "."
                  + target.getFileName()
                  + "."
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                  + ".tmp");
      try {
        return new OutputFile(
            target,
            temporary,
            FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt >= 9) {
          throw e;
        }
      }
    }
  }

  /** Where to write; buffered, UTF-8. Leave it open: {@link #commit()} and {@link #close()} do. */
  BufferedWriter writer() {
    return writer;
  }

  /**
   * Forces what was written to disk and moves it over the output in one step (atomically where the
   * file system can).
   */
  void commit() throws IOException {
    if (done) {
      throw new IllegalStateException("the output was already committed or abandoned");
    }
    writer.flush();
    channel.force(true);
    writer.close();
    done = true;
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /** Abandons an uncommitted output: deletes the temporary file, leaving the output as it was. */
  @Override
  public void close() throws IOException {
    if (done) {
      return;
    }
    done = true;
    try {
      writer.close();
    } catch (IOException e) {
      // the temporary file is deleted either way
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
