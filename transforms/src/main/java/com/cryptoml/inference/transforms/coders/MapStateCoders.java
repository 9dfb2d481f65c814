package com.cryptoml.inference.transforms.coders;

import com.cryptoml.inference.transforms.config.Runners;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The coders for the keys and values of a keyed {@code MapState}: their own coders, except on the
 * Direct runner, where coders that hand the same instance back.
 *
 * <p>Why: for every bundle that touches a key, Beam 2.71.0's in-memory map state
 * ({@code InMemoryStateInternals.InMemoryMap.copy}) clones every entry of the map through its coders
 * and then puts the original values back over the clones (keeping the cloned keys, equal to the
 * originals), so on the Direct runner map values are shared between bundles whatever the coder does,
 * and the clones are work thrown away: with state shards, a shard's every series, for each bundle
 * (docs/benchmarks.md, sixth round: over 6,000 series at 1,000 events/s the stream's p99 went from 757
 * to 491 ms with the values alone). Keys here are immutable strings, so passing the same instance
 * changes nothing either. Other runners keep the real coders, which their state backends need.
 */
public final class MapStateCoders {
  private MapStateCoders() {}

  /**
   * {@code coder}, or on the Direct runner a coder that passes the instance through; for map-state keys
   * that are immutable, and for map-state values.
   */
  public static <T> Coder<T> forRunner(PipelineOptions options, Coder<T> coder) {
    return Runners.isDirect(options) ? new SameInstance<>(coder) : coder;
  }

  /**
   * Encodes a ticket for the value and decodes it back to the same instance, on the same thread,
   * right after: how a clone uses a coder. Anything else (decoding on another thread, or after another
   * value was encoded) fails loudly instead of returning the wrong value.
   */
  static final class SameInstance<T> extends CustomCoder<T> {
    private static final ThreadLocal<Slot> LAST = ThreadLocal.withInitial(Slot::new);

    /** The coder it stands in for, named in errors and used for nothing else. */
    private final Coder<T> coder;

    SameInstance(Coder<T> coder) {
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
}
