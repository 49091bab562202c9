package dev.opagent.flink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file of JSON lines as {@link EventLine}s numbered from 1, so that a line that is no event
 * is reported by its number. A file is one split, read from its start; on a restore the file source
 * skips the lines already read through this reader, so the numbers stay right.
 */
final class NumberedLines extends SimpleStreamFormat<EventLine> {
  private static final long serialVersionUID = 1L;

  private final String source;

  /** Lines named after {@code source} (the file's path). */
  NumberedLines(String source) {
    this.source = source;
  }

  @Override
  public StreamFormat.Reader<EventLine> createReader(Configuration config, FSDataInputStream in) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return new StreamFormat.Reader<>() {
      private long number;

      @Override
      public @Nullable EventLine read() throws IOException {
        String text = reader.readLine();
        if (text == null) {
          return null;
        }
        number++;
        return new EventLine(source, number, text);
      }

      @Override
      public void close() throws IOException {
        reader.close();
      }
    };
  }

  @Override
  public TypeInformation<EventLine> getProducedType() {
    return TypeInformation.of(EventLine.class);
  }
}
