package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.ModelInput;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * What {@link HistoryUpdates} does to the outside for one series in one element or timer callback:
 * outputs to {@link BuildModelInputs#INPUTS} and {@link BuildModelInputs#DEAD_LETTERS}, and its
 * {@code pending} and {@code maintenance} timers. Outputs keep their bar times, never earlier than
 * {@code floor}, the callback's own timestamp. Shared by every layout of the history's state.
 */
public final class HistoryEffects implements HistoryUpdates.Effects {
  private final DoFn.MultiOutputReceiver out;
  private final Timer pending;
  private final Timer maintenance;
  private final Instant floor;

  public HistoryEffects(DoFn.MultiOutputReceiver out, Timer pending, Timer maintenance, Instant floor) {
    this.out = out;
    this.pending = pending;
    this.maintenance = maintenance;
    this.floor = floor;
  }

  @Override
  public void input(ModelInput input, Instant barTime) {
    out.get(BarHistoryFn.INPUTS).outputWithTimestamp(input, barTime.isBefore(floor) ? floor : barTime);
  }

  @Override
  public void deadLetter(DeadLetter deadLetter, @Nullable Instant barTime) {
    if (barTime == null) {
      out.get(BarHistoryFn.DEAD_LETTERS).output(deadLetter);
    } else {
      out.get(BarHistoryFn.DEAD_LETTERS).outputWithTimestamp(deadLetter, barTime.isBefore(floor) ? floor : barTime);
    }
  }

  @Override
  public void setPending(Instant fire, Instant hold) {
    Instant at = fire.isBefore(floor) ? floor : fire;
    Instant held = hold.isBefore(floor) ? floor : hold.isAfter(at) ? at : hold;
    pending.withOutputTimestamp(held).set(at);
  }

  @Override
  public void clearPending() {
    pending.clear();
  }

  @Override
  public void setMaintenance(Instant at) {
    maintenance.withNoOutputTimestamp().set(at);
  }
}
