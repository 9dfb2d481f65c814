package com.cryptoml.inference.transforms.coders;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.util.VarInt;

/**
 * A value's fields packed into one length-prefixed byte array, for the coders of keyed state. State
 * passes through its coder whenever a runner copies or persists it; written field by field, each long
 * and double is a call through the runner's stream wrappers, possibly into a synchronized stream.
 * Packed, a value is one write and one read. Big-endian, like {@link java.io.DataOutputStream}.
 */
public final class Packed {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private Packed() {}

  /** Collects fields, then writes them as one array. */
  public static final class Writer {
    private byte[] buf;
    private int pos;

    public Writer() {
      this(512);
    }

    public Writer(int initialBytes) {
      buf = new byte[Math.max(16, initialBytes)];
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    public Writer putLong(long v) {
      ensure(8);
      LONG.set(buf, pos, v);
      pos += 8;
      return this;
    }

    public Writer putDouble(double v) {
      return putLong(Double.doubleToRawLongBits(v));
    }

    public Writer putInt(int v) {
      ensure(4);
      INT.set(buf, pos, v);
      pos += 4;
      return this;
    }

    public Writer putBoolean(boolean v) {
      ensure(1);
      buf[pos++] = (byte) (v ? 1 : 0);
      return this;
    }

    /** UTF-8 with its length; null allowed. */
    public Writer putString(String s) {
      if (s == null) {
        return putInt(-1);
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      putInt(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
      return this;
    }

    public void writeTo(OutputStream out) throws IOException {
      VarInt.encode(pos, out);
      out.write(buf, 0, pos);
    }
  }

  /** Reads what a {@link Writer} wrote, in the same order. */
  public static final class Reader {
    private final byte[] buf;
    private int pos;

    private Reader(byte[] buf) {
      this.buf = buf;
    }

    public static Reader readFrom(InputStream in) throws IOException {
      byte[] b = new byte[VarInt.decodeInt(in)];
      new DataInputStream(in).readFully(b);
      return new Reader(b);
    }

    public long getLong() {
      long v = (long) LONG.get(buf, pos);
      pos += 8;
      return v;
    }

    public double getDouble() {
      return Double.longBitsToDouble(getLong());
    }

    public int getInt() {
      int v = (int) INT.get(buf, pos);
      pos += 4;
      return v;
    }

    public boolean getBoolean() {
      return buf[pos++] != 0;
    }

    public String getString() {
      int n = getInt();
      if (n < 0) {
        return null;
      }
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }
  }
}
