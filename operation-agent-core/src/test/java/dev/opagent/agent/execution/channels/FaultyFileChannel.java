package dev.opagent.agent.execution.channels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A file channel whose next positional write, force or truncate fails on request. */
final class FaultyFileChannel extends FileChannel {
  private final FileChannel delegate;
  volatile boolean failNextWriteHalfway;
  volatile boolean failForces;
  volatile boolean failTruncates;
  final AtomicLong forcedUpTo = new AtomicLong();
  final AtomicInteger forces = new AtomicInteger();

  FaultyFileChannel(Path file) throws IOException {
    this.delegate =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (failNextWriteHalfway) {
      failNextWriteHalfway = false;
      ByteBuffer half = src.duplicate();
      half.limit(half.position() + half.remaining() / 2);
      delegate.write(half, position);
      throw new IOException("No space left on device");
    }
    return delegate.write(src, position);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    if (failForces) {
      throw new IOException("Input/output error");
    }
    long size = delegate.size();
    delegate.force(metaData);
    forces.incrementAndGet();
    forcedUpTo.accumulateAndGet(size, Math::max);
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    if (failTruncates) {
      throw new IOException("Input/output error");
    }
    delegate.truncate(size);
    return this;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return delegate.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return delegate.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
