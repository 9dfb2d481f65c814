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
 * The coder for the values of a keyed {@code MapState}: the value's own coder, except on the Direct
 * runner, where a coder that hands the same instance back.
 *
 * <p>Why: for every bundle that touches a key, Beam 2.71.0's in-memory map state
 * ({@code InMemoryStateInternals.InMemoryMap.copy}) clones every value of the map through its coder and
 * then puts the original values back over the clones, so on the Direct runner map values are shared
 * between bundles whatever the coder does, and the clones are work thrown away: with state shards, a
 * shard's every series, for each bundle (docs/benchmarks.md, sixth round: over 6,000 series at 1,000
 * events/s the stream's p99 went from 757 to 491 ms). Other runners keep the value's coder, which their
 * state backends need.
 */
public final class MapValueCoders {
  private MapValueCoders() {}

  /** {@code valueCoder}, or on the Direct runner a coder that passes the instance through. */
  public static <T> Coder<T> forRunner(PipelineOptions options, Coder<T> valueCoder) {
    return Runners.isDirect(options) ? new SameInstance<>(valueCoder) : valueCoder;
  }

  /**
   * Encodes a ticket for the value and decodes it back to the same instance, on the same thread,
   * right after: how a clone uses a coder. Anything else (decoding on another thread, or after another
   * value was encoded) fails loudly instead of returning the wrong value.
   */
  static final class SameInstance<T> extends CustomCoder<T> {
    private static final ThreadLocal<Slot> LAST = ThreadLocal.withInitial(Slot::new);

    /** The value coder it stands in for, named in errors and used for nothing else. */
    private final Coder<T> valueCoder;

    SameInstance(Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
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
        throw new IllegalStateException("a Direct-runner map-state value (" + valueCoder + ") was decoded away from the copy"
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
