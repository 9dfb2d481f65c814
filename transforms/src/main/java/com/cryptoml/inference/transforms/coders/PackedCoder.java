package com.cryptoml.inference.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A coder that writes a value as one {@link Packed} array: subclasses say how the value's fields go in
 * ({@link #put}) and come back out ({@link #get}), and can nest other packed values in the same array.
 */
public abstract class PackedCoder<T> extends AtomicCoder<T> {
  /** A first guess at the packed size of {@code value}; the writer grows as needed. */
  protected int sizeHint(T value) {
    return 512;
  }

  /** Writes the value's fields. */
  protected abstract void put(Packed.Writer w, T value);

  /** Reads what {@link #put} wrote, in the same order. */
  protected abstract T get(Packed.Reader r);

  @Override
  public final void encode(T value, OutputStream out) throws IOException {
    Packed.Writer w = new Packed.Writer(sizeHint(value));
    put(w, value);
    w.writeTo(out);
  }

  @Override
  public final T decode(InputStream in) throws IOException {
    return get(Packed.Reader.readFrom(in));
  }
}
