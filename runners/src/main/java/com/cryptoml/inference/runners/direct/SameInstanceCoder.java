package com.cryptoml.inference.runners.direct;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A coder for the keys and values of the sharded steps' {@code MapState} that hands the same instance
 * back. For every bundle that touches a key, Beam 2.71.0's in-memory map state
 * ({@code InMemoryStateInternals.InMemoryMap.copy}) clones every entry of the map through its coders
 * and then puts the original values back over the clones, so on the Direct runner map values are
 * shared between bundles whatever the coder does and the clones are work thrown away: a shard's every
 * series, for each bundle. See docs/decisions/state-shards.md.
 *
 * <p>It encodes a ticket for the value and decodes it back to the same instance, on the same thread,
 * right after: how a clone uses a coder. Anything else (decoding on another thread, or after another
 * value was encoded) fails loudly instead of returning the wrong value.
 */
final class SameInstanceCoder<T> extends CustomCoder<T> {
  private static final ThreadLocal<Slot> LAST = ThreadLocal.withInitial(Slot::new);

  /** The coder it stands in for, named in errors and used for nothing else. */
  private final Coder<T> coder;

  SameInstanceCoder(Coder<T> coder) {
    this.coder = coder;
  }

  private static final class Slot {
    long ticket;
    Object value;
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    Slot slot = LAST.get();
    slot.ticket++;
    slot.value = value;
    new DataOutputStream(out).writeLong(slot.ticket);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T decode(InputStream in) throws IOException {
    long ticket = new DataInputStream(in).readLong();
    Slot slot = LAST.get();
    if (slot.ticket != ticket || slot.value == null) {
      throw new IllegalStateException("a Direct-runner map-state entry (" + coder + ") was decoded away from the copy"
          + " that encoded it: this coder only passes instances through Beam's in-memory state copies");
    }
    T value = (T) slot.value;
    slot.value = null; // one decode per encode; the state map holds the value, not this slot
    return value;
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, "encodes an instance, not a value");
  }
}
