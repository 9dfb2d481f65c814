package com.cryptoml.inference.pipelines.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet {@link InputFile} over any Beam file system (local, gs://), for footer checks. */
public final class BeamParquetInputFile implements InputFile {
  private final MatchResult.Metadata file;

  public BeamParquetInputFile(MatchResult.Metadata file) {
    this.file = file;
  }

  @Override
  public long getLength() {
    return file.sizeBytes();
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file.resourceId());
    return new DelegatingSeekableInputStream(java.nio.channels.Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        channel.position(newPos);
      }

      @Override
      public void readFully(byte[] bytes, int start, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes, start, len);
        while (buf.hasRemaining()) {
          if (channel.read(buf) < 0) {
            throw new java.io.EOFException("unexpected end of " + file.resourceId());
          }
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public String toString() {
    return file.resourceId().toString();
  }
}
